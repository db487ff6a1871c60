/** A read-only Monaco diff: what a handler changed. Plain text side by side until Monaco loads. */
import { useEffect, useRef, useState } from 'react';
import type { editor } from 'monaco-editor/editor/editor.api.js';
import { loadMonaco } from './load.js';

export interface DiffProps {
  original: string;
  modified: string;
  language: string;
  label: string;
  height?: number;
}

export function DiffEditor(props: DiffProps) {
  const host = useRef<HTMLDivElement>(null);
  const ed = useRef<editor.IStandaloneDiffEditor | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const [ready, setReady] = useState(false);

  useEffect(() => {
    let disposed = false;
    let dispose = () => {};
    void loadMonaco().then((monaco) => {
      if (disposed || !host.current) return;
      const original = monaco.editor.createModel(latest.current.original, latest.current.language);
      const modified = monaco.editor.createModel(latest.current.modified, latest.current.language);
      const e = monaco.editor.createDiffEditor(host.current, {
        readOnly: true,
        originalEditable: false,
        automaticLayout: true,
        renderSideBySide: false,
        minimap: { enabled: false },
        scrollBeyondLastLine: false,
        fontSize: 12,
        wordWrap: 'on',
        diffWordWrap: 'on',
        lineNumbersMinChars: 3,
        ariaLabel: latest.current.label,
        renderOverviewRuler: false,
        hideUnchangedRegions: { enabled: false },
      });
      e.setModel({ original, modified });
      ed.current = e;
      dispose = () => {
        e.dispose();
        original.dispose();
        modified.dispose();
      };
      setReady(true);
    });
    return () => {
      disposed = true;
      dispose();
      ed.current = null;
    };
  }, []);

  useEffect(() => {
    // After the frame that shows the new result: Monaco's re-layout then never delays that paint.
    let cancelled = false;
    requestAnimationFrame(() =>
      setTimeout(() => {
        const m = ed.current?.getModel();
        if (cancelled || !m) return;
        if (m.original.getValue() !== props.original) m.original.setValue(props.original);
        if (m.modified.getValue() !== props.modified) m.modified.setValue(props.modified);
      }, 0),
    );
    return () => {
      cancelled = true;
    };
  }, [props.original, props.modified, ready]);

  return (
    <div className="editor-box" style={{ height: props.height ?? 220 }} role="group" aria-label={props.label}>
      <div ref={host} style={{ position: 'absolute', inset: 0 }} />
      {!ready && <pre className="loading">{props.modified}</pre>}
    </div>
  );
}
