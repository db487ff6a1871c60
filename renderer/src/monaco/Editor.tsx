/**
 * A Monaco editor as a controlled React component. Until Monaco has loaded, the text is shown as
 * plain preformatted text, so content is visible at first paint.
 */
import { useEffect, useRef, useState } from 'react';
import type { editor } from 'monaco-editor/editor/editor.api.js';
import { loadMonaco } from './load.js';

export interface EditorProps {
  value: string;
  onChange?: (value: string) => void;
  language: string;
  readOnly?: boolean;
  /** Accessible name of the editing area. */
  label: string;
  height?: number;
  /** Ctrl/Cmd+Enter inside the editor (Monaco would otherwise take the key). */
  onRun?: () => void;
  onSave?: () => void;
  onMarkers?: (messages: string[]) => void;
  /** The model's URI: language services that match files by path (fixture schema) look at it. */
  path?: string;
}

export function Editor(props: EditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const ed = useRef<editor.IStandaloneCodeEditor | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const [ready, setReady] = useState(false);

  useEffect(() => {
    let disposed = false;
    const disposers: (() => void)[] = [];
    void loadMonaco().then((monaco) => {
      if (disposed || !host.current) return;
      const path = latest.current.path;
      const model = monaco.editor.createModel(
        latest.current.value,
        latest.current.language,
        path === undefined ? undefined : monaco.Uri.parse(path),
      );
      const e = monaco.editor.create(host.current, {
        model,
        readOnly: latest.current.readOnly ?? false,
        ariaLabel: latest.current.label,
        minimap: { enabled: false },
        automaticLayout: true,
        scrollBeyondLastLine: false,
        fontSize: 12,
        lineNumbersMinChars: 3,
        wordWrap: 'on',
        tabSize: 2,
        renderLineHighlight: 'none',
        fixedOverflowWidgets: true,
        // The EditContext input path mangles typed quotes in current Chromium; the textarea path is proven.
        editContext: false,
      });
      ed.current = e;
      const sub = model.onDidChangeContent(() => latest.current.onChange?.(model.getValue()));
      const markers = monaco.editor.onDidChangeMarkers((uris) => {
        if (!uris.some((u) => u.toString() === model.uri.toString())) return;
        latest.current.onMarkers?.(
          monaco.editor
            .getModelMarkers({ resource: model.uri })
            .map((m) => `line ${m.startLineNumber}: ${m.message}`),
        );
      });
      e.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => latest.current.onRun?.());
      e.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => latest.current.onSave?.());
      disposers.push(() => {
        sub.dispose();
        markers.dispose();
        e.dispose();
        model.dispose();
      });
      setReady(true);
    });
    return () => {
      disposed = true;
      for (const d of disposers) d();
      ed.current = null;
    };
  }, []);

  useEffect(() => {
    const e = ed.current;
    const model = e?.getModel();
    if (!e || !model) return;
    if (model.getValue() !== props.value) {
      // A value from outside (history, fixture, format): replace as one undoable edit.
      e.pushUndoStop();
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text: props.value }], () => null);
      e.pushUndoStop();
    }
  }, [props.value, ready]);

  useEffect(() => {
    const model = ed.current?.getModel();
    if (!model) return;
    void loadMonaco().then((monaco) => monaco.editor.setModelLanguage(model, props.language));
  }, [props.language, ready]);

  useEffect(() => {
    ed.current?.updateOptions({ readOnly: props.readOnly ?? false });
  }, [props.readOnly, ready]);

  return (
    <div className="editor-box" style={{ height: props.height ?? 160 }}>
      <div ref={host} style={{ position: 'absolute', inset: 0 }} />
      {!ready && (
        <pre className="loading" aria-label={props.label}>
          {props.value}
        </pre>
      )}
    </div>
  );
}
