/**
 * Every symbol of the open file: a virtualized list (100,000 rows stay smooth: only the visible rows
 * exist in the DOM), substring and fuzzy search over raw and demangled names, filters, handlers
 * first with their phase, and a details pane with every field.
 */
import { memo, useDeferredValue, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { symbolAt, type Phase, type SymbolTable } from '../api.js';
import {
  applyFilters,
  DEFAULT_FILTERS,
  SymbolSearcher,
  type SymbolFilters,
  type SymbolRow,
} from '../lib/symbol-search.js';
import { CopyButton } from './CopyButton.js';
import { markAfterPaint } from '../lib/perf.js';
import { warmLowerNames } from '../lib/idle-warm.js';

const ROW_HEIGHT = 24;

function Highlight({ text, query }: { text: string; query: string }) {
  const q = query.trim().toLowerCase();
  if (q === '') return <>{text}</>;
  const at = text.toLowerCase().indexOf(q);
  if (at < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, at)}
      <mark>{text.slice(at, at + q.length)}</mark>
      {text.slice(at + q.length)}
    </>
  );
}

export const SymbolsPanel = memo(function SymbolsPanel(props: {
  table: SymbolTable;
  rows: SymbolRow[];
  /** False while only the first rows are there (the full sort follows in the next task). */
  complete: boolean;
  /** Rows of the full table: more than `table` holds while only the first screen has arrived. */
  total: number;
  onUse: (symbol: string, phase: Phase | null) => void;
  searchRef: React.RefObject<HTMLInputElement | null>;
}) {
  const { table, rows } = props;
  const [query, setQuery] = useState('');
  const [filters, setFilters] = useState<SymbolFilters>(DEFAULT_FILTERS);
  const [selected, setSelected] = useState<number | null>(null);
  const deferredQuery = useDeferredValue(query);
  const filtered = useMemo(() => applyFilters(rows, filters), [rows, filters]);
  const searcher = useMemo(() => new SymbolSearcher(filtered), [filtered]);
  const result = useMemo(() => searcher.search(deferredQuery), [searcher, deferredQuery]);
  useEffect(() => (props.complete ? warmLowerNames(rows) : undefined), [rows, props.complete]);
  const list = result.rows;
  const listRef = useRef<HTMLDivElement>(null);
  const virt = useVirtualizer({
    count: list.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const selIndex = selected === null ? -1 : list.findIndex((r) => r.i === selected);

  // Arrow-down right after typing selects from the list on screen; when the search then settles,
  // the keyboard user keeps a selection: the first row of the new list.
  useEffect(() => {
    if (selected !== null && selIndex < 0 && list.length > 0 && document.activeElement === listRef.current)
      setSelected(list[0]!.i);
  }, [list, selected, selIndex]);

  useEffect(() => {
    markAfterPaint('ps:search-painted', deferredQuery);
  }, [result, deferredQuery]);

  useLayoutEffect(() => void performance.mark('ps:symbols-rendered'), [table]);
  useEffect(() => {
    setSelected(null);
    // After the commit, the next frame is the first one with these rows on screen.
    markAfterPaint('ps:symbols-painted');
  }, [table]);

  const select = (idx: number) => {
    const r = list[idx];
    if (!r) return;
    setSelected(r.i);
    virt.scrollToIndex(idx, { align: 'auto' });
  };

  const toggle = (k: keyof SymbolFilters) => setFilters((f) => ({ ...f, [k]: !f[k] }));
  const detail = selected !== null && selected < table.count ? symbolAt(table, selected) : null;
  const selRow = selIndex >= 0 ? list[selIndex] : undefined;

  return (
    <>
      <div className="symbols-tools">
        <input
          ref={props.searchRef}
          type="search"
          aria-label="Search symbols"
          placeholder="Search symbols (Ctrl+K)"
          value={query}
          spellCheck={false}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              listRef.current?.focus();
              select(Math.max(0, selIndex));
            }
          }}
        />
        <div className="filters" role="group" aria-label="Symbol filters">
          <label>
            <input type="checkbox" checked={filters.handlers} onChange={() => toggle('handlers')} /> Handlers
          </label>
          <label>
            <input type="checkbox" checked={filters.functions} onChange={() => toggle('functions')} />{' '}
            Functions
          </label>
          <label>
            <input type="checkbox" checked={filters.data} onChange={() => toggle('data')} /> Data
          </label>
          <label>
            <input type="checkbox" checked={filters.imports} onChange={() => toggle('imports')} /> Imports
          </label>
          <label>
            <input type="checkbox" checked={filters.hideNoise} onChange={() => toggle('hideNoise')} /> Hide
            noise
          </label>
        </div>
        <div className="muted" aria-live="polite" data-testid="symbol-count">
          {props.complete
            ? `${list.length.toLocaleString('en-US')} of ${table.count.toLocaleString('en-US')} symbols`
            : `sorting ${props.total.toLocaleString('en-US')} symbols…`}
          {deferredQuery.trim() !== '' && result.rows.length > result.substringCount
            ? ` (${(result.rows.length - result.substringCount).toLocaleString('en-US')} fuzzy)`
            : ''}
        </div>
      </div>
      <div
        ref={listRef}
        className="symlist"
        role="listbox"
        aria-label="Symbols"
        tabIndex={0}
        aria-activedescendant={selRow ? `sym-${selRow.i}` : undefined}
        onKeyDown={(e) => {
          const page = Math.max(1, Math.floor((listRef.current?.clientHeight ?? 240) / ROW_HEIGHT) - 1);
          const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
          if (e.key in moves) {
            e.preventDefault();
            select(Math.min(list.length - 1, Math.max(0, (selIndex < 0 ? -1 : selIndex) + moves[e.key]!)));
          } else if (e.key === 'Home') {
            e.preventDefault();
            select(0);
          } else if (e.key === 'End') {
            e.preventDefault();
            select(list.length - 1);
          } else if (e.key === 'Enter' && selRow) {
            e.preventDefault();
            props.onUse(selRow.name, selRow.handler?.phase ?? null);
          }
        }}
      >
        <div style={{ height: virt.getTotalSize(), position: 'relative' }}>
          {virt.getVirtualItems().map((v) => {
            const r = list[v.index]!;
            return (
              <div
                key={r.i}
                id={`sym-${r.i}`}
                role="option"
                aria-selected={r.i === selected}
                className="symrow"
                style={{ transform: `translateY(${v.start}px)` }}
                onClick={() => setSelected(r.i)}
                onDoubleClick={() => props.onUse(r.name, r.handler?.phase ?? null)}
                title={r.demangled ? `${r.demangled}\n${r.name}` : r.name}
              >
                {r.handler && <span className="badge handler">{r.handler.phase ?? 'handler'}</span>}
                {r.abi && <span className="badge">ABI</span>}
                <span className="nm">
                  <Highlight text={r.demangled ?? r.name} query={deferredQuery} />
                </span>
                {!r.defined && <span className="badge">import</span>}
                <span className="badge">{r.kind}</span>
              </div>
            );
          })}
        </div>
        {list.length === 0 && <div className="empty">No symbol matches.</div>}
      </div>
      {detail && (
        <section className="details" aria-label="Symbol details">
          <div className="row-actions">
            <strong className="mono" style={{ wordBreak: 'break-all', flex: 1 }}>
              {detail.demangled ?? detail.name}
            </strong>
            <CopyButton text={detail.name} label="Copy symbol name" />
            <button
              type="button"
              className="small"
              onClick={() => props.onUse(detail.name, detail.handler?.phase ?? null)}
            >
              Use as handler
            </button>
          </div>
          <dl>
            <dt>name</dt>
            <dd>{detail.name}</dd>
            {detail.demangled && (
              <>
                <dt>demangled</dt>
                <dd>{detail.demangled}</dd>
              </>
            )}
            <dt>kind</dt>
            <dd>{detail.kind}</dd>
            <dt>binding</dt>
            <dd>{detail.binding}</dd>
            <dt>visibility</dt>
            <dd>{detail.visibility}</dd>
            <dt>defined</dt>
            <dd>{detail.defined ? 'yes' : 'no (imported)'}</dd>
            <dt>address</dt>
            <dd>{detail.address}</dd>
            <dt>size</dt>
            <dd>{detail.size}</dd>
            <dt>section</dt>
            <dd>{detail.section ?? '—'}</dd>
            <dt>version</dt>
            <dd>
              {detail.version ?? '—'}
              {detail.versionHidden ? ' (hidden)' : ''}
            </dd>
            <dt>source</dt>
            <dd>{detail.source}</dd>
            <dt>language</dt>
            <dd>{detail.language}</dd>
            <dt>noise</dt>
            <dd>{detail.noise ? 'yes (toolchain plumbing)' : 'no'}</dd>
            {detail.abi && (
              <>
                <dt>Studio ABI</dt>
                <dd>{detail.abi}</dd>
              </>
            )}
            {detail.handler && (
              <>
                <dt>handler</dt>
                <dd>
                  {detail.handler.phase ?? 'phase not declared'}
                  {detail.handler.description ? ` — ${detail.handler.description}` : ''}
                </dd>
              </>
            )}
            {detail.goType && (
              <>
                <dt>Go type</dt>
                <dd>{detail.goType}</dd>
              </>
            )}
            {detail.goName && (
              <>
                <dt>Go name</dt>
                <dd>{detail.goName}</dd>
              </>
            )}
            {detail.ordinal !== undefined && (
              <>
                <dt>ordinal</dt>
                <dd>{detail.ordinal}</dd>
              </>
            )}
            {detail.forwarder && (
              <>
                <dt>forwarder</dt>
                <dd>{detail.forwarder}</dd>
              </>
            )}
            {detail.library && (
              <>
                <dt>library</dt>
                <dd>{detail.library}</dd>
              </>
            )}
          </dl>
        </section>
      )}
    </>
  );
});
