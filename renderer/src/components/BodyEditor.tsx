/** The request body in four modes: JSON (validated, formatted), text, a form table, a file's bytes. */
import { useState } from 'react';
import { Editor } from '../monaco/Editor.js';
import { KeyValueTable } from './KeyValueTable.js';
import type { BodyMode, ComposerState } from '../state/composer.js';
import { byteSize } from '../lib/http-text.js';

const MODES: { key: BodyMode; label: string }[] = [
  { key: 'json', label: 'JSON' },
  { key: 'text', label: 'Text' },
  { key: 'form', label: 'Form' },
  { key: 'binary', label: 'File' },
];

export function jsonProblem(text: string): string | null {
  if (text.trim() === '') return null;
  try {
    JSON.parse(text);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) s += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(s);
}

export function BodyEditor(props: {
  state: ComposerState;
  update: (patch: Partial<ComposerState>) => void;
  onRun: () => void;
  onSave: () => void;
}) {
  const { state, update } = props;
  const [fileError, setFileError] = useState<string | null>(null);
  const problem = state.bodyMode === 'json' ? jsonProblem(state.bodyText) : null;
  return (
    <div className="composer-body">
      <div className="row-actions" role="radiogroup" aria-label="Body mode">
        {MODES.map((m) => (
          <label key={m.key}>
            <input
              type="radio"
              name="body-mode"
              checked={state.bodyMode === m.key}
              onChange={() => update({ bodyMode: m.key })}
            />{' '}
            {m.label}
          </label>
        ))}
        {state.bodyMode === 'json' && (
          <button
            type="button"
            className="small"
            disabled={problem !== null || state.bodyText.trim() === ''}
            onClick={() => update({ bodyText: JSON.stringify(JSON.parse(state.bodyText), null, 2) })}
          >
            Format JSON
          </button>
        )}
      </div>
      {(state.bodyMode === 'json' || state.bodyMode === 'text') && (
        <>
          <Editor
            label="Request body"
            language={state.bodyMode === 'json' ? 'json' : 'plaintext'}
            value={state.bodyText}
            onChange={(v) => update({ bodyText: v })}
            onRun={props.onRun}
            onSave={props.onSave}
            height={180}
          />
          {problem && (
            <div className="error-text" role="alert">
              Not valid JSON: {problem}
            </div>
          )}
        </>
      )}
      {state.bodyMode === 'form' && (
        <KeyValueTable noun="field" rows={state.formRows} onChange={(formRows) => update({ formRows })} />
      )}
      {state.bodyMode === 'binary' && (
        <div className="row-actions">
          <label>
            Body from file{' '}
            <input
              type="file"
              aria-label="Body from file"
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (!f) return;
                setFileError(null);
                f.arrayBuffer().then(
                  (buf) =>
                    update({ binary: { name: f.name, base64: toBase64(new Uint8Array(buf)), size: f.size } }),
                  (err: unknown) => setFileError(`Could not read ${f.name}: ${String(err)}`),
                );
              }}
            />
          </label>
          {state.binary && (
            <span className="muted">
              {state.binary.name}, {byteSize(state.binary.size)}
            </span>
          )}
          {fileError && <span className="error-text">{fileError}</span>}
        </div>
      )}
    </div>
  );
}
