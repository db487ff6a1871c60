/**
 * What the handler did: the outcome in words and colour, the request before and after in a diff,
 * the response, logs and captured output, panics and crashes, duration and sizes.
 */
import { memo, useLayoutEffect, useMemo, useState } from 'react';
import type { CallResult } from '../api.js';
import { OUTCOME_WORDS } from '../lib/outcome.js';
import { byteSize, headerChanges, prettyBody, requestText, responseText } from '../lib/http-text.js';
import { DiffEditor } from '../monaco/DiffEditor.js';
import { CopyButton } from './CopyButton.js';
import { markAfterPaint } from '../lib/perf.js';
import { StackView } from './StackView.js';
import { TabPanel, Tabs } from './Tabs.js';

type Tab = 'request' | 'response' | 'output' | 'problem';

function defaultTab(r: CallResult): Tab {
  if (r.panic || r.crash) return 'problem';
  if (r.phase === 'response' || r.response) return 'response';
  return 'request';
}

function headline(r: CallResult): string {
  if (r.outcome === 'reject' || r.outcome === 'respond') return `status ${r.response?.status ?? '?'}`;
  if (r.outcome === 'panic') return r.panic?.message ?? '';
  if (r.outcome === 'crash') return r.crash?.signal ? `${r.crash.signal}` : (r.crash?.message ?? '');
  if (r.outcome === 'error') return `${r.error ?? ''}${r.status !== null ? ` (returned ${r.status})` : ''}`;
  if (r.outcome === 'abi_error' || r.outcome === 'timeout') return r.error ?? '';
  if (r.phase === 'response' && r.response) return `status ${r.response.status}`;
  return '';
}

// Memoized: the app re-renders for host status events and every composer keystroke, and none of
// them changes what a result shows (a large response body would be pretty-printed again each time).
export const ResultView = memo(function ResultView(props: {
  result: CallResult;
  onKeepExpectation: (() => void) | null;
}) {
  const r = props.result;
  const [tab, setTab] = useState<Tab>(defaultTab(r));
  const [raw, setRaw] = useState(false);
  // A new result opens on its own default tab in the same render (React's "adjust state on a prop
  // change" pattern): resetting it in an effect would paint the old tab first and the right one a
  // frame later.
  const [shown, setShown] = useState(r);
  if (shown !== r) {
    setShown(r);
    setTab(defaultTab(r));
  }
  // Marks are queued before this commit is painted, so "painted" is the frame that shows it.
  useLayoutEffect(() => {
    performance.mark('ps:result-rendered');
    markAfterPaint('ps:result-painted');
  }, [r]);
  const words = OUTCOME_WORDS[r.outcome];
  const changes = useMemo(() => headerChanges(r.requestBefore.headers, r.request.headers), [r]);
  const bodyChanged = r.requestBefore.body !== r.request.body;
  const urlChanged = r.requestBefore.url !== r.request.url || r.requestBefore.method !== r.request.method;
  const resp = r.response;
  const pretty = useMemo(() => (resp ? prettyBody(resp.body, resp.headers) : null), [resp]);
  const requestTexts = useMemo(() => [requestText(r.requestBefore), requestText(r.request)] as const, [r]);
  const responseTexts = useMemo(
    () =>
      r.responseBefore && r.response
        ? ([responseText(r.responseBefore), responseText(r.response)] as const)
        : null,
    [r],
  );
  const outputCount = r.logs.length + (r.stdout ? 1 : 0) + (r.stderr ? 1 : 0);

  const tabs: { key: Tab; label: string }[] = [
    { key: 'request', label: 'Request diff' },
    { key: 'response', label: r.phase === 'response' ? 'Response diff' : 'Response' },
    { key: 'output', label: `Logs & output${outputCount ? ` (${outputCount})` : ''}` },
  ];
  if (r.panic || r.crash) tabs.push({ key: 'problem', label: r.crash ? 'Crash' : 'Panic' });

  return (
    <>
      <div className={`outcome ${words.tone}`} role="status" aria-label="Outcome">
        <h2>
          {words.title}
          {headline(r) && <span style={{ fontWeight: 400 }}> · {headline(r)}</span>}
        </h2>
        <div>{words.meaning}.</div>
        <div className="meta">
          <span>{r.symbol}</span>
          <span>{r.phase} phase</span>
          <span>{r.durationMs < 10 ? r.durationMs.toFixed(2) : r.durationMs.toFixed(0)} ms</span>
          <span>in {byteSize(r.inputBytes)}</span>
          <span>out {byteSize(r.outputBytes)}</span>
          {r.crash?.restarted && <span>host restarted</span>}
        </div>
        {props.onKeepExpectation && (
          <button type="button" className="small" style={{ marginTop: 6 }} onClick={props.onKeepExpectation}>
            Keep this result as the expectation
          </button>
        )}
      </div>
      <Tabs id="result" label="Result parts" tabs={tabs} value={tab} onChange={setTab} />
      <TabPanel id="result" tab={tab}>
        <div className="pane-scroll">
          {tab === 'request' && (
            <>
              <ul className="changes" aria-label="Request changes">
                {changes.length === 0 && !bodyChanged && !urlChanged && (
                  <li className="muted">The handler did not change the request.</li>
                )}
                {urlChanged && (
                  <li className="changed">
                    ~ {r.request.method} {r.request.url}
                  </li>
                )}
                {changes.map((c) => (
                  <li key={`${c.kind}-${c.name}`} className={c.kind}>
                    {c.kind === 'added' ? '+' : c.kind === 'removed' ? '−' : '~'} {c.name}
                    {c.after !== null ? `: ${c.after}` : ''}
                    {c.kind === 'changed' ? ` (was ${c.before})` : ''}
                  </li>
                ))}
                {bodyChanged && <li className="changed">~ body changed</li>}
              </ul>
              <div style={{ margin: '0 10px' }}>
                <DiffEditor
                  label="Request before and after the handler"
                  original={requestTexts[0]}
                  modified={requestTexts[1]}
                  language="plaintext"
                  height={300}
                />
              </div>
            </>
          )}
          {tab === 'response' && (
            <>
              {!resp && (
                <p className="muted" style={{ margin: '8px 10px' }}>
                  {r.phase === 'request'
                    ? 'The handler did not answer the request itself: it goes on upstream.'
                    : 'No response.'}
                </p>
              )}
              {r.phase === 'response' && responseTexts && (
                <div style={{ margin: '8px 10px' }}>
                  <DiffEditor
                    label="Response before and after the handler"
                    original={responseTexts[0]}
                    modified={responseTexts[1]}
                    language="plaintext"
                    height={220}
                  />
                </div>
              )}
              {resp && pretty && (
                <section aria-label="Response">
                  <div className="section-title">Status</div>
                  <p className="mono" style={{ margin: '2px 10px' }} aria-label="Response status">
                    {resp.status}
                  </p>
                  <div className="section-title">Headers</div>
                  <ul className="changes">
                    {resp.headers.map(([n, v], i) => (
                      <li key={i}>
                        {n}: {v}
                      </li>
                    ))}
                  </ul>
                  <div className="section-title row-actions">
                    Body
                    <label style={{ textTransform: 'none', fontWeight: 400 }}>
                      <input type="checkbox" checked={raw} onChange={(e) => setRaw(e.target.checked)} /> raw
                    </label>
                    <CopyButton text={resp.body} label="Copy response body" />
                  </div>
                  <pre className="pre" aria-label="Response body">
                    {raw || resp.body_encoding === 'base64' ? resp.body : pretty.text}
                  </pre>
                </section>
              )}
            </>
          )}
          {tab === 'output' && (
            <>
              <div className="section-title">Logs</div>
              {r.logs.length === 0 ? (
                <p className="muted" style={{ margin: '2px 10px' }}>
                  No structured logs.
                </p>
              ) : (
                <ul className="logs" aria-label="Logs">
                  {r.logs.map((l, i) => (
                    <li key={i} className={l.level}>
                      <span className="lvl">{l.level}</span>
                      {l.message}
                    </li>
                  ))}
                </ul>
              )}
              <div className="section-title">stdout</div>
              <pre className="pre" aria-label="Captured stdout">
                {r.stdout || '(nothing)'}
              </pre>
              <div className="section-title">stderr</div>
              <pre className="pre" aria-label="Captured stderr">
                {r.stderr || '(nothing)'}
              </pre>
              {r.error && (
                <>
                  <div className="section-title">Error</div>
                  <pre className="pre">{r.error}</pre>
                </>
              )}
            </>
          )}
          {tab === 'problem' && <StackView result={r} />}
        </div>
      </TabPanel>
    </>
  );
});
