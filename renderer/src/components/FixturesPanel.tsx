/**
 * The plugin's fixture files: search, open into the composer, rename, duplicate, delete (with undo),
 * run one or all with pass/fail badges and, for each failure, what was expected and what came.
 */
import { useState } from 'react';
import type { FixtureEntry, FixtureRun } from '../api.js';

export function FixturesPanel(props: {
  dir: string | null;
  entries: FixtureEntry[];
  runs: Map<string, FixtureRun>;
  current: string | null;
  dirty: boolean;
  busy: boolean;
  onOpen: (e: FixtureEntry) => void;
  onSaveCurrent: () => void;
  onRename: (file: string, name: string) => void;
  onDuplicate: (file: string) => void;
  onDelete: (file: string) => void;
  onRun: (file: string) => void;
  onRunAll: () => void;
  onEditText: (file: string) => void;
}) {
  const [query, setQuery] = useState('');
  const [renaming, setRenaming] = useState<{ file: string; name: string } | null>(null);
  const q = query.trim().toLowerCase();
  const shown = props.entries.filter(
    (e) =>
      q === '' ||
      e.file.toLowerCase().includes(q) ||
      (e.fixture?.name.toLowerCase().includes(q) ?? false) ||
      (e.fixture?.request.url.toLowerCase().includes(q) ?? false),
  );
  const ran = [...props.runs.values()];
  const passed = ran.filter((r) => r.passed).length;

  return (
    <>
      <div className="symbols-tools">
        <div className="row-actions">
          <button
            type="button"
            onClick={props.onSaveCurrent}
            title="Save the composer's request as a fixture (Ctrl+S)"
          >
            Save request{props.current ? '' : ' as fixture'}
          </button>
          <button type="button" onClick={props.onRunAll} disabled={props.busy || props.entries.length === 0}>
            Run all
          </button>
          {ran.length > 0 && (
            <span className="muted" role="status" aria-label="Fixture results">
              {passed} passed, {ran.length - passed} failed
            </span>
          )}
        </div>
        <input
          type="search"
          aria-label="Search fixtures"
          placeholder="Search fixtures"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        {props.dir && (
          <div className="muted mono" style={{ fontSize: 11, wordBreak: 'break-all' }}>
            {props.dir}
          </div>
        )}
      </div>
      <div className="pane-scroll">
        {props.entries.length === 0 && (
          <div className="empty">No fixtures yet. Compose a request and press Ctrl+S to keep it.</div>
        )}
        <ul className="listing" aria-label="Fixtures">
          {shown.map((e) => {
            const run = props.runs.get(e.file);
            const name = e.fixture?.name ?? e.file;
            const isCurrent = props.current === e.file;
            return (
              <li key={e.file}>
                <div className={`item${isCurrent ? ' current' : ''}`}>
                  {renaming?.file === e.file ? (
                    <form
                      style={{ flex: 1, display: 'flex', gap: 4 }}
                      onSubmit={(ev) => {
                        ev.preventDefault();
                        if (renaming.name.trim()) props.onRename(e.file, renaming.name.trim());
                        setRenaming(null);
                      }}
                    >
                      <input
                        type="text"
                        autoFocus
                        aria-label={`New name for ${name}`}
                        value={renaming.name}
                        onChange={(ev) => setRenaming({ file: e.file, name: ev.target.value })}
                        onKeyDown={(ev) => ev.key === 'Escape' && setRenaming(null)}
                        style={{ flex: 1 }}
                      />
                      <button type="submit" className="small">
                        OK
                      </button>
                    </form>
                  ) : (
                    <button
                      type="button"
                      className="title"
                      disabled={e.fixture === null}
                      aria-label={`Open fixture ${name}`}
                      title={e.error ?? `${e.file}\n${e.fixture?.request.method} ${e.fixture?.request.url}`}
                      onClick={() => props.onOpen(e)}
                    >
                      {isCurrent && props.dirty && (
                        <span className="unsaved" aria-label="unsaved changes">
                          ●{' '}
                        </span>
                      )}
                      {name}
                      <br />
                      <span className="muted mono">{e.file}</span>
                    </button>
                  )}
                  {run && (
                    <span
                      className={`badge ${run.passed ? 'pass' : 'fail'}`}
                      aria-label={`${name} ${run.passed ? 'passed' : 'failed'}`}
                    >
                      {run.passed ? 'pass' : 'fail'}
                    </span>
                  )}
                  <button
                    type="button"
                    className="small"
                    disabled={e.fixture === null || props.busy}
                    aria-label={`Run fixture ${name}`}
                    onClick={() => props.onRun(e.file)}
                  >
                    Run
                  </button>
                  <button
                    type="button"
                    className="small"
                    aria-label={`Rename fixture ${name}`}
                    onClick={() => setRenaming({ file: e.file, name })}
                  >
                    Rename
                  </button>
                  <button
                    type="button"
                    className="small"
                    aria-label={`Duplicate fixture ${name}`}
                    onClick={() => props.onDuplicate(e.file)}
                  >
                    Duplicate
                  </button>
                  <button
                    type="button"
                    className="small"
                    aria-label={`Edit fixture ${name} as text`}
                    onClick={() => props.onEditText(e.file)}
                  >
                    Edit file
                  </button>
                  <button
                    type="button"
                    className="small danger"
                    aria-label={`Delete fixture ${name}`}
                    onClick={() => props.onDelete(e.file)}
                  >
                    Delete
                  </button>
                </div>
                {e.error && <div className="failure error-text">{e.error}</div>}
                {run?.error && <div className="failure error-text">{run.error}</div>}
                {run && !run.passed && run.failures.length > 0 && (
                  <div className="failure" aria-label={`Failures of ${name}`}>
                    {run.failures.map((f, i) => (
                      <div key={i} className="mono">
                        <div>
                          {f.what}: {f.message}
                        </div>
                        {f.expected !== undefined && <div className="exp">− expected {f.expected}</div>}
                        {f.actual !== undefined && <div className="act">+ actual&nbsp;&nbsp; {f.actual}</div>}
                      </div>
                    ))}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      </div>
    </>
  );
}
