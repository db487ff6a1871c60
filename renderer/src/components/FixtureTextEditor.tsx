/**
 * A fixture file edited as text (YAML, comments and layout kept). The engine parses the text on
 * save and refuses what is not a valid fixture, with the reason, so a broken file is never written.
 */
import { useEffect, useRef, useState } from 'react';
import { ApiError, type Client, type FixtureEntry } from '../api.js';
import { Editor } from '../monaco/Editor.js';
import { loadMonaco } from '../monaco/load.js';
import { applyFixtureSchema, fixtureModelPath } from '../monaco/yaml-schema.js';

export function FixtureTextEditor(props: {
  client: Client;
  file: string;
  onClose: () => void;
  onSaved: (entry: FixtureEntry) => void;
}) {
  const { client, file } = props;
  const [loaded, setLoaded] = useState<{ text: string; revision: string } | null>(null);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [schemaReady, setSchemaReady] = useState(false);
  const [markers, setMarkers] = useState<string[]>([]);
  const dialog = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let stale = false;
    // The editor opens once the schema applies (or could not be had: then without it), so the
    // first problems show as soon as the text does.
    void loadMonaco()
      .then((monaco) => applyFixtureSchema(monaco, () => client.fixturesSchema({})))
      .catch(() => undefined)
      .then(() => !stale && setSchemaReady(true));
    return () => {
      stale = true;
    };
  }, [client]);

  useEffect(() => {
    let stale = false;
    client.fixturesReadText({ file }).then(
      (r) => {
        if (stale) return;
        setLoaded({ text: r.text, revision: r.revision });
        setText(r.text);
      },
      (err: unknown) => !stale && setProblem(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      stale = true;
    };
  }, [client, file]);

  useEffect(() => dialog.current?.focus(), []);

  const save = async () => {
    if (!loaded || saving) return;
    setSaving(true);
    try {
      const entry = await client.fixturesSaveText({ file, text, revision: loaded.revision });
      props.onSaved(entry);
      props.onClose();
    } catch (err) {
      setProblem(
        err instanceof ApiError && err.code === 'conflict'
          ? `${file} changed on disk since it was opened; close and open it again.`
          : err instanceof Error
            ? err.message
            : String(err),
      );
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="modal-backdrop">
      <div
        ref={dialog}
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-label={`Edit fixture ${file}`}
        tabIndex={-1}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            props.onClose();
          }
        }}
      >
        <div className="row-actions">
          <strong className="mono" style={{ flex: 1 }}>
            {file}
            {loaded && text !== loaded.text && <span className="unsaved"> ● unsaved</span>}
          </strong>
          <button type="button" className="primary" disabled={!loaded || saving} onClick={() => void save()}>
            Save file
          </button>
          <button type="button" onClick={props.onClose}>
            Close
          </button>
        </div>
        {problem && (
          <div className="error-text" role="alert">
            {problem}
          </div>
        )}
        {loaded && schemaReady ? (
          <>
            <Editor
              label="Fixture file"
              language="yaml"
              path={fixtureModelPath(file)}
              value={text}
              onChange={setText}
              onSave={() => void save()}
              onMarkers={setMarkers}
              height={460}
            />
            <div role="status" aria-label="Schema problems" className="error-text">
              {markers.length > 0 &&
                `${markers.length} problem${markers.length === 1 ? '' : 's'}: ${markers.slice(0, 3).join('; ')}${markers.length > 3 ? '; …' : ''}`}
            </div>
          </>
        ) : (
          !problem && <p className="muted">Reading {file}…</p>
        )}
      </div>
    </div>
  );
}
