/**
 * The request to run: handler and phase, method and URL (query table kept in sync, curl paste
 * imports), headers, body, config, and the upstream response for response handlers.
 */
import { memo, useState } from 'react';
import type { Phase } from '../api.js';
import { looksLikeCurl, parseCurl } from '../lib/curl-paste.js';
import { rowsFromPairs } from '../lib/rows.js';
import { syncRowsFromUrl, urlWithRows } from '../lib/url-params.js';
import { Editor } from '../monaco/Editor.js';
import { formRowsFromBody } from '../lib/form-body.js';
import { METHODS, type ComposerState } from '../state/composer.js';
import { BodyEditor, jsonProblem } from './BodyEditor.js';
import { KeyValueTable } from './KeyValueTable.js';
import { TabPanel, Tabs } from './Tabs.js';

type Section = 'params' | 'headers' | 'body' | 'config' | 'upstream';

export interface HandlerChoice {
  symbol: string;
  phase: Phase | null;
  description?: string;
}

export const Composer = memo(function Composer(props: {
  state: ComposerState;
  update: (patch: Partial<ComposerState>) => void;
  handlers: HandlerChoice[];
  onRun: () => void;
  onSave: () => void;
  onNotice: (text: string, bad?: boolean) => void;
  urlRef: React.RefObject<HTMLInputElement | null>;
}) {
  const { state, update } = props;
  const [section, setSection] = useState<Section>('headers');
  const choices =
    props.handlers.some((h) => h.symbol === state.symbol) || state.symbol === ''
      ? props.handlers
      : [{ symbol: state.symbol, phase: state.phase }, ...props.handlers];
  const onHeaders = state.headers.filter((h) => h.enabled && h.name).length;
  const params = state.params.filter((p) => p.enabled).length;

  const tabs: { key: Section; label: string }[] = [
    { key: 'params', label: `Params${params ? ` (${params})` : ''}` },
    { key: 'headers', label: `Headers${onHeaders ? ` (${onHeaders})` : ''}` },
    { key: 'body', label: 'Body' },
    { key: 'config', label: 'Config' },
  ];
  if (state.phase === 'response') tabs.push({ key: 'upstream', label: 'Upstream response' });
  const shown = tabs.some((t) => t.key === section) ? section : 'headers';
  const configProblem = jsonProblem(state.configText);

  const importCurl = (text: string) => {
    try {
      const c = parseCurl(text);
      const ct = c.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1].toLowerCase() ?? '';
      const form = ct.includes('x-www-form-urlencoded');
      update({
        method: c.method,
        url: c.url,
        params: syncRowsFromUrl(c.url, []),
        headers: rowsFromPairs(c.headers),
        bodyMode: form ? 'form' : ct.includes('json') || c.body === '' ? 'json' : 'text',
        bodyText: form ? '' : c.body,
        formRows: form ? formRowsFromBody(c.body) : [],
        binary: null,
      });
      props.onNotice(
        `Imported the curl command${c.ignored.length ? `; not applied: ${c.ignored.join(' ')}` : ''}.`,
      );
    } catch (err) {
      props.onNotice(err instanceof Error ? err.message : String(err), true);
    }
  };

  return (
    <section className="composer" aria-label="Request">
      <div className="target-line">
        <label htmlFor="handler">Handler</label>
        <select
          id="handler"
          value={state.symbol}
          onChange={(e) => {
            const h = choices.find((c) => c.symbol === e.target.value);
            update({ symbol: e.target.value, ...(h?.phase ? { phase: h.phase } : {}) });
          }}
        >
          {state.symbol === '' && <option value="">choose a handler…</option>}
          {choices.map((h) => (
            <option key={h.symbol} value={h.symbol}>
              {h.symbol}
              {h.phase ? ` (${h.phase})` : ''}
            </option>
          ))}
        </select>
        <label htmlFor="phase">Phase</label>
        <select id="phase" value={state.phase} onChange={(e) => update({ phase: e.target.value as Phase })}>
          <option value="request">request</option>
          <option value="response">response</option>
        </select>
      </div>
      {choices.find((h) => h.symbol === state.symbol)?.description && (
        <p className="muted handler-doc">{choices.find((h) => h.symbol === state.symbol)?.description}</p>
      )}
      <div className="url-line">
        <select aria-label="Method" value={state.method} onChange={(e) => update({ method: e.target.value })}>
          {(METHODS.includes(state.method) ? METHODS : [state.method, ...METHODS]).map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
        <input
          ref={props.urlRef}
          type="text"
          aria-label="URL"
          placeholder="http://api.example.com/path?query — or paste a curl command"
          value={state.url}
          spellCheck={false}
          onChange={(e) =>
            update({ url: e.target.value, params: syncRowsFromUrl(e.target.value, state.params) })
          }
          onPaste={(e) => {
            const text = e.clipboardData.getData('text/plain');
            if (looksLikeCurl(text)) {
              e.preventDefault();
              importCurl(text);
            }
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) {
              e.preventDefault();
              if (looksLikeCurl(state.url)) importCurl(state.url);
            }
          }}
        />
      </div>
      <Tabs id="composer" label="Request parts" tabs={tabs} value={shown} onChange={setSection} />
      <TabPanel id="composer" tab={shown}>
        {shown === 'params' && (
          <KeyValueTable
            noun="parameter"
            rows={state.params}
            onChange={(rows) => update({ params: rows, url: urlWithRows(state.url, rows) })}
          />
        )}
        {shown === 'headers' && (
          <KeyValueTable noun="header" rows={state.headers} onChange={(headers) => update({ headers })} />
        )}
        {shown === 'body' && (
          <BodyEditor state={state} update={update} onRun={props.onRun} onSave={props.onSave} />
        )}
        {shown === 'config' && (
          <>
            <p className="muted" style={{ margin: '4px 0' }}>
              Free-form JSON passed to the handler as <code>config</code>, like a gateway&apos;s per-plugin
              config.
            </p>
            <Editor
              label="Config"
              language="json"
              value={state.configText}
              onChange={(configText) => update({ configText })}
              onRun={props.onRun}
              onSave={props.onSave}
              height={140}
            />
            {configProblem && (
              <div className="error-text" role="alert">
                Not valid JSON: {configProblem}
              </div>
            )}
          </>
        )}
        {shown === 'upstream' && (
          <fieldset>
            <legend>Upstream response, as the handler receives it</legend>
            <div className="row-actions">
              <label>
                Status{' '}
                <input
                  type="number"
                  min={100}
                  max={999}
                  aria-label="Upstream status"
                  value={state.upstream.status}
                  onChange={(e) =>
                    update({ upstream: { ...state.upstream, status: Number(e.target.value) || 0 } })
                  }
                  style={{ width: 80 }}
                />
              </label>
            </div>
            <KeyValueTable
              noun="upstream header"
              rows={state.upstream.headers}
              onChange={(headers) => update({ upstream: { ...state.upstream, headers } })}
            />
            <Editor
              label="Upstream body"
              language="json"
              value={state.upstream.bodyText}
              onChange={(bodyText) => update({ upstream: { ...state.upstream, bodyText } })}
              onRun={props.onRun}
              onSave={props.onSave}
              height={140}
            />
          </fieldset>
        )}
      </TabPanel>
    </section>
  );
});
