/** This session's calls (and earlier ones the engine kept), searchable, each re-openable. */
import { useEffect, useState } from 'react';
import type { Client, HistorySummary } from '../api.js';
import { OUTCOME_WORDS } from '../lib/outcome.js';

export function HistoryPanel(props: {
  client: Client;
  /** Changes after every call, so the list refreshes. */
  version: number;
  onOpen: (id: string) => void;
  onError: (message: string) => void;
}) {
  const [query, setQuery] = useState('');
  const [entries, setEntries] = useState<HistorySummary[]>([]);
  const [total, setTotal] = useState(0);
  const { client, onError } = props;

  useEffect(() => {
    let stale = false;
    const q = query.trim();
    const req =
      q === '' ? client.historyList({ limit: 500 }) : client.historySearch({ query: q, limit: 500 });
    req.then(
      (r) => {
        if (stale) return;
        setEntries(r.entries);
        setTotal(r.total);
      },
      (err: unknown) => !stale && onError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      stale = true;
    };
  }, [client, query, props.version, onError]);

  return (
    <>
      <div className="symbols-tools">
        <input
          type="search"
          aria-label="Search history"
          placeholder="Search history"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <div className="muted">
          {entries.length} of {total} calls
        </div>
      </div>
      <div className="pane-scroll">
        {entries.length === 0 && (
          <div className="empty">No calls yet. Run a handler and it shows up here.</div>
        )}
        <ul className="listing" aria-label="History">
          {entries.map((e) => {
            const w = OUTCOME_WORDS[e.outcome];
            return (
              <li key={e.id}>
                <div className="item">
                  <button
                    type="button"
                    className="title mono"
                    title={`${e.method} ${e.url}\n${e.symbol} (${e.phase})\n${e.at}`}
                    aria-label={`Open call ${e.method} ${e.url} to ${e.symbol}, ${w.title}`}
                    onClick={() => props.onOpen(e.id)}
                  >
                    {e.method} {e.url.replace(/^https?:\/\/[^/]+/, '')}
                    <br />
                    <span className="muted">
                      {e.symbol} · {new Date(e.at).toLocaleTimeString()}
                    </span>
                  </button>
                  <span className={`badge ${w.tone === 'ok' ? 'pass' : w.tone === 'bad' ? 'fail' : ''}`}>
                    {w.title}
                  </span>
                  <span className="muted">{e.durationMs.toFixed(1)} ms</span>
                </div>
              </li>
            );
          })}
        </ul>
      </div>
    </>
  );
}
