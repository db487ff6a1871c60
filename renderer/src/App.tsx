/**
 * The studio window: plugin bar on top; symbols, fixtures and history on the left; the composer in
 * the middle; the result on the right. All engine work goes through the contract client.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import {
  ApiError,
  type CallResult,
  type Client,
  type Fixture,
  type FixtureEntry,
  type FixtureRun,
  type HostState,
  type Phase,
  type PluginState,
  type SymbolTable,
} from './api.js';
import { Composer, type HandlerChoice } from './components/Composer.js';
import { FixturesPanel } from './components/FixturesPanel.js';
import { FixtureTextEditor } from './components/FixtureTextEditor.js';
import { HistoryPanel } from './components/HistoryPanel.js';
import { PluginBar } from './components/PluginBar.js';
import { ResultView } from './components/ResultView.js';
import { SymbolsPanel } from './components/SymbolsPanel.js';
import { TabPanel, Tabs } from './components/Tabs.js';
import { firstRows, makeRows, sortRows, type SymbolRow } from './lib/symbol-search.js';
import { sortRowsOffThread } from './lib/sort-rows.js';

const FIRST_ROWS = 80;
const NO_HANDLERS: HandlerChoice[] = [];
import {
  callInputFromComposer,
  ComposerError,
  composerFromCall,
  composerFromFixture,
  emptyComposer,
  fixtureFromComposer,
  type ComposerState,
} from './state/composer.js';
import { loadMonaco } from './monaco/load.js';

type Side = 'symbols' | 'fixtures' | 'history';

function message(err: unknown): string {
  if (err instanceof ApiError || err instanceof Error) return err.message;
  return String(err);
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const MOD = isMac ? '⌘' : 'Ctrl';

interface OpenFixture {
  file: string;
  revision: string;
  fixture: Fixture;
}

export function App({ client }: { client: Client }) {
  const [plugin, setPlugin] = useState<PluginState | null>(null);
  const [host, setHost] = useState<{ state: HostState; detail: string | null } | null>(null);
  const [notice, setNotice] = useState<{ text: string; bad: boolean } | null>(null);
  const [status, setStatus] = useState('');
  const [opening, setOpening] = useState(false);
  const [booted, setBooted] = useState(false);
  const [emptyReason, setEmptyReason] = useState<string | null>(null);
  const [symbols, setSymbols] = useState<{
    table: SymbolTable;
    rows: SymbolRow[];
    complete: boolean;
    /** Rows of the full table (more than `table` holds while only its first screen is here). */
    total: number;
  } | null>(null);
  const sortTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const pendingSort = useRef<SymbolRow[] | null>(null);
  // The full sort starts once the first rows are on screen. This effect runs after the symbol
  // list's own (children first), so its task is queued after the list's paint mark.
  useEffect(() => {
    const all = pendingSort.current;
    if (!symbols || symbols.complete || !all) return;
    const t = symbols.table;
    let live = true;
    let frame = requestAnimationFrame(() => {
      frame = 0;
      sortTimer.current = setTimeout(() => {
        void sortRowsOffThread(all).then((rows) => {
          if (!live) return;
          pendingSort.current = null;
          setSymbols({ table: t, rows, complete: true, total: t.count });
        });
      }, 0);
    });
    return () => {
      live = false;
      if (frame) cancelAnimationFrame(frame);
      clearTimeout(sortTimer.current);
    };
  }, [symbols]);
  const [composer, setComposer] = useState<ComposerState>(emptyComposer);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<CallResult | null>(null);
  const [runError, setRunError] = useState<string | null>(null);
  const [side, setSide] = useState<Side>('symbols');
  const [historyVersion, setHistoryVersion] = useState(0);
  const [fixtures, setFixtures] = useState<{ dir: string | null; entries: FixtureEntry[] }>({
    dir: null,
    entries: [],
  });
  const [runs, setRuns] = useState<Map<string, FixtureRun>>(new Map());
  const [openFixture, setOpenFixture] = useState<OpenFixture | null>(null);
  const [fixtureBusy, setFixtureBusy] = useState(false);
  const [undo, setUndo] = useState<{ token: string; name: string } | null>(null);
  const [editingText, setEditingText] = useState<string | null>(null);
  const [naming, setNaming] = useState<{ name: string; expect: Fixture['expect'] } | null>(null);
  const pathRef = useRef<HTMLInputElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const urlRef = useRef<HTMLInputElement>(null);
  const pluginPath = useRef<string | null>(null);
  const noticeTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const flash = useCallback((text: string, bad = false) => {
    setNotice({ text, bad });
    clearTimeout(noticeTimer.current);
    noticeTimer.current = setTimeout(() => setNotice(null), bad ? 8000 : 5000);
  }, []);

  const loadSymbols = useCallback(
    async (path: string, total: number) => {
      const stale = (p: string) => p !== pluginPath.current && pluginPath.current !== null && p !== path;
      performance.mark('ps:symbols-request');
      // A large table is megabytes on the wire: its first screen comes first, in its final order,
      // and is painted while the full table follows.
      if (total > FIRST_ROWS) {
        const head = await client.symbolsHead({ limit: FIRST_ROWS });
        performance.mark('ps:symbols-received');
        if (stale(head.table.path)) return;
        clearTimeout(sortTimer.current);
        pendingSort.current = null;
        const rows = sortRows(makeRows(head.table));
        performance.mark('ps:rows-built');
        flushSync(() => setSymbols({ table: head.table, rows, complete: false, total: head.total }));
      }
      const t = await client.symbols();
      performance.mark('ps:symbols-received');
      if (stale(t.path)) return;
      // The top rows first (one pass), the full sort in the next task: a 100,000-symbol file shows
      // its first rows at once, in their final order.
      clearTimeout(sortTimer.current);
      const all = makeRows(t);
      const small = all.length <= FIRST_ROWS;
      const first = small ? sortRows(all) : firstRows(all, FIRST_ROWS);
      pendingSort.current = small ? null : all;
      performance.mark('ps:rows-built');
      // Rendered at once rather than in a scheduled task: the list is what the user waits for.
      flushSync(() => setSymbols({ table: t, rows: first, complete: small, total: t.count }));
    },
    [client],
  );

  const refreshFixtures = useCallback(async () => {
    try {
      const r = await client.fixturesList();
      setFixtures({ dir: r.dir, entries: r.entries });
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'no_plugin')) flash(message(err), true);
    }
  }, [client, flash]);

  const adopt = useCallback(
    (p: PluginState) => {
      setPlugin(p);
      setHost({ state: p.host, detail: null });
      clearTimeout(sortTimer.current);
      setSymbols(null);
      setRuns(new Map());
      setOpenFixture(null);
      if (pluginPath.current !== null && pluginPath.current !== p.path) {
        setResult(null);
        setRunError(null);
        setNotice(null);
      }
      pluginPath.current = p.path;
      void loadSymbols(p.path, p.symbolCount).catch((err: unknown) => flash(message(err), true));
      void refreshFixtures();
      setComposer((c) => {
        const handlers = p.plugin?.handlers ?? [];
        if (handlers.some((h) => h.symbol === c.symbol)) return c;
        const first = handlers[0];
        return { ...c, symbol: first?.symbol ?? '', phase: first?.phase ?? c.phase };
      });
    },
    [flash, loadSymbols, refreshFixtures],
  );

  const open = useCallback(
    async (path: string) => {
      setOpening(true);
      // User Timing marks: the UI benchmark (test/bench/ui.bench.ts) reads them.
      performance.mark('ps:open-start');
      try {
        const p = await client.openPlugin({ path });
        performance.mark('ps:opened');
        adopt(p);
        setEmptyReason(null);
      } catch (err) {
        flash(message(err), true);
      } finally {
        setOpening(false);
      }
    },
    [client, adopt, flash],
  );

  // Start: the plugin already open (reconnect, command line), else the bundled example.
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      try {
        const current = await client.currentPlugin();
        if (cancelled) return;
        if (current) {
          adopt(current);
          // The example plugin opened for a newcomer comes with its ready request.
          const d = await client.defaultPlugin();
          if (!cancelled && d.request && d.path === current.path) setComposer(composerFromCall(d.request));
        } else {
          const d = await client.defaultPlugin();
          if (cancelled) return;
          if (d.available) {
            const p = await client.openPlugin({ path: d.path });
            if (cancelled) return;
            adopt(p);
            if (d.request) setComposer(composerFromCall(d.request));
          } else setEmptyReason(d.reason ?? 'The bundled example plugin is not available.');
        }
      } catch (err) {
        if (!cancelled) setEmptyReason(message(err));
      } finally {
        if (!cancelled) setBooted(true);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [client, adopt]);

  // Warm Monaco up once the first paint is done, so the first editor appears at once.
  useEffect(() => {
    const t = setTimeout(() => void loadMonaco(), 50);
    return () => clearTimeout(t);
  }, []);

  const run = useCallback(async () => {
    if (running) return;
    let input;
    try {
      input = callInputFromComposer(composer);
    } catch (err) {
      setRunError(err instanceof ComposerError ? err.message : message(err));
      return;
    }
    setRunning(true);
    setRunError(null);
    try {
      performance.mark('ps:call-sent');
      const r = await client.call(input);
      performance.mark('ps:call-returned');
      setResult(r);
    } catch (err) {
      setRunError(message(err));
    } finally {
      setRunning(false);
      setHistoryVersion((v) => v + 1);
    }
  }, [client, composer, running]);

  const cancel = useCallback(() => {
    if (!running) return;
    void client.cancel().catch((err: unknown) => flash(message(err), true));
  }, [client, running, flash]);

  const restart = useCallback(async () => {
    try {
      const p = await client.reload();
      adopt(p);
      flash('Host restarted, file read again.');
    } catch (err) {
      flash(message(err), true);
    }
  }, [client, adopt, flash]);

  const dirty = useMemo(() => {
    if (!openFixture) return false;
    try {
      const f = openFixture.fixture;
      // Compared through the same conversion, so a fixture that was only opened is never "unsaved".
      const baseline = fixtureFromComposer(composerFromFixture(f), f.name, f);
      return JSON.stringify(fixtureFromComposer(composer, f.name, f)) !== JSON.stringify(baseline);
    } catch {
      return true;
    }
  }, [composer, openFixture]);

  const saveFixture = useCallback(
    async (expect?: Fixture['expect'], newName?: string) => {
      const name = newName ?? openFixture?.fixture.name;
      if (!name) {
        // A new fixture needs a name first: the form above the composer asks for it.
        const path = composer.url.replace(/^[a-z]+:\/\/[^/]+/i, '').replace(/\?.*$/, '') || '/';
        setNaming({ name: `${composer.symbol || composer.method} ${path}`.trim(), expect });
        return;
      }
      setNaming(null);
      let fixture: Fixture;
      try {
        fixture = fixtureFromComposer(composer, name, openFixture?.fixture ?? null);
        if (expect) fixture.expect = expect;
      } catch (err) {
        flash(message(err), true);
        return;
      }
      try {
        const saved = await client.fixturesSave(
          openFixture && !newName
            ? { file: openFixture.file, fixture, revision: openFixture.revision }
            : { fixture },
        );
        if (saved.fixture)
          setOpenFixture({ file: saved.file, revision: saved.revision, fixture: saved.fixture });
        flash(`Saved ${saved.file}.`);
        void refreshFixtures();
      } catch (err) {
        if (err instanceof ApiError && err.code === 'conflict')
          flash(
            `${openFixture?.file ?? 'The fixture'} changed on disk since it was opened: reopen it before saving.`,
            true,
          );
        else flash(message(err), true);
      }
    },
    [client, composer, openFixture, flash, refreshFixtures],
  );

  const keepExpectation = useCallback(() => {
    if (!result) return;
    const expect: NonNullable<Fixture['expect']> = { outcome: result.outcome };
    if (result.response) {
      expect.status = result.response.status;
      if (result.response.body_encoding !== 'base64')
        expect.response = { body: { equals: result.response.body } };
    }
    void saveFixture(expect);
  }, [result, saveFixture]);

  const openFixtureEntry = useCallback((e: FixtureEntry) => {
    if (!e.fixture) return;
    setOpenFixture({ file: e.file, revision: e.revision, fixture: e.fixture });
    setComposer(composerFromFixture(e.fixture));
  }, []);

  const runFixture = useCallback(
    async (file: string) => {
      setFixtureBusy(true);
      try {
        const r = await client.fixturesRun({ file });
        setRuns((m) => new Map(m).set(file, r));
        if (r.result) setResult(r.result);
        setHistoryVersion((v) => v + 1);
      } catch (err) {
        flash(message(err), true);
      } finally {
        setFixtureBusy(false);
      }
    },
    [client, flash],
  );

  const runAll = useCallback(async () => {
    setFixtureBusy(true);
    try {
      const r = await client.fixturesRunAll();
      setRuns(new Map(r.runs.map((x) => [x.file, x])));
      flash(`${r.passed} passed, ${r.failed} failed.`, r.failed > 0);
      setHistoryVersion((v) => v + 1);
    } catch (err) {
      flash(message(err), true);
    } finally {
      setFixtureBusy(false);
    }
  }, [client, flash]);

  const deleteFixture = useCallback(
    async (file: string) => {
      const name = fixtures.entries.find((e) => e.file === file)?.fixture?.name ?? file;
      try {
        const { undoToken } = await client.fixturesDelete({ file });
        setUndo({ token: undoToken, name });
        if (openFixture?.file === file) setOpenFixture(null);
        void refreshFixtures();
      } catch (err) {
        flash(message(err), true);
      }
    },
    [client, fixtures.entries, openFixture, flash, refreshFixtures],
  );

  const undoDelete = useCallback(async () => {
    if (!undo) return;
    try {
      await client.fixturesUndoDelete({ undoToken: undo.token });
      flash(`Restored ${undo.name}.`);
      void refreshFixtures();
    } catch (err) {
      flash(message(err), true);
    }
    setUndo(null);
  }, [client, undo, flash, refreshFixtures]);

  useEffect(() => {
    if (!undo) return;
    const t = setTimeout(() => setUndo(null), 10_000);
    return () => clearTimeout(t);
  }, [undo]);

  const openHistory = useCallback(
    async (id: string) => {
      try {
        const h = await client.historyGet({ id });
        setComposer(composerFromCall(h.input));
        setOpenFixture(null);
        setResult(h.result);
      } catch (err) {
        flash(message(err), true);
      }
    },
    [client, flash],
  );

  // Engine events.
  useEffect(() => {
    const offs = [
      client.on('hostStatus', (e) => {
        if (e.path === pluginPath.current) setHost({ state: e.state, detail: e.detail });
      }),
      client.on('fileChanged', (e) => {
        if (e.path !== pluginPath.current) return;
        flash(e.status === 'reloaded' ? 'rebuilt, reloaded' : e.message, e.status !== 'reloaded');
        if (e.status === 'reloaded') {
          void client.currentPlugin().then((p) => p && setPlugin(p));
          // The list on screen stays until the full new table replaces it (no first-screen step).
          void loadSymbols(e.path, 0).catch(() => undefined);
        }
      }),
      client.on('progress', (e) => setStatus(e.message)),
      client.on('pluginOpened', (p) => adopt(p)),
      client.on('fixturesChanged', () => void refreshFixtures()),
      client.on('menuCommand', (e) => {
        if (e.command === 'saveFixture') void saveFixture();
        else if (e.command === 'openPlugin') pathRef.current?.focus();
        else if (e.command === 'runCall') void run();
        else if (e.command === 'cancelCall') cancel();
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [client, adopt, flash, loadSymbols, refreshFixtures, saveFixture, run, cancel]);

  // Keyboard: every main action has a key.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key === 'Enter') {
        e.preventDefault();
        void run();
      } else if (e.key === 'Escape' && running) {
        e.preventDefault();
        cancel();
      } else if (mod && !e.shiftKey && e.key.toLowerCase() === 's') {
        e.preventDefault();
        // A dialog (the fixture text editor) handles its own Ctrl+S.
        if ((e.target as HTMLElement | null)?.closest?.('[role=dialog]')) return;
        // In the name form, Ctrl+S confirms the form rather than starting over.
        const form = (e.target as HTMLElement | null)?.closest?.('form.naming');
        if (form instanceof HTMLFormElement) form.requestSubmit();
        else void saveFixture();
      } else if (mod && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setSide('symbols');
        setTimeout(() => searchRef.current?.focus(), 0);
      } else if (mod && e.key.toLowerCase() === 'l') {
        e.preventDefault();
        urlRef.current?.focus();
      } else if (mod && e.key.toLowerCase() === 'o') {
        e.preventDefault();
        pathRef.current?.focus();
      } else if (mod && e.shiftKey && e.key.toLowerCase() === 'r') {
        e.preventDefault();
        void restart();
      } else if (e.altKey && ['1', '2', '3'].includes(e.key)) {
        e.preventDefault();
        setSide((['symbols', 'fixtures', 'history'] as const)[Number(e.key) - 1]!);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [run, cancel, saveFixture, restart, running]);

  const update = useCallback((patch: Partial<ComposerState>) => setComposer((c) => ({ ...c, ...patch })), []);
  // Stable callbacks for the memoized composer: it re-renders for its own state, not for results.
  const latest = useRef({ run, saveFixture, keepExpectation, open, restart });
  latest.current = { run, saveFixture, keepExpectation, open, restart };
  const onRun = useCallback(() => void latest.current.run(), []);
  // Stable too, for the memoized result view and plugin bar.
  const onKeepExpectation = useCallback(() => latest.current.keepExpectation(), []);
  const onOpenPlugin = useCallback((p: string) => void latest.current.open(p), []);
  const onRestart = useCallback(() => void latest.current.restart(), []);
  // Stable: the history panel refetches when its inputs change.
  const historyError = useCallback((m: string) => flash(m, true), [flash]);
  const onSave = useCallback(() => void latest.current.saveFixture(), []);
  const useSymbol = useCallback(
    (symbol: string, phase: Phase | null) => {
      update({ symbol, ...(phase ? { phase } : {}) });
      urlRef.current?.focus();
    },
    [update],
  );

  const handlers: HandlerChoice[] = plugin?.plugin?.handlers ?? NO_HANDLERS;

  return (
    <div className="app">
      <PluginBar
        plugin={plugin}
        host={host?.state ?? null}
        hostDetail={host?.detail ?? null}
        notice={notice}
        opening={opening}
        onOpen={onOpenPlugin}
        onRestart={onRestart}
        pathInputRef={pathRef}
      />
      <main className="main">
        <aside className="pane" aria-label="Plugin contents">
          <Tabs
            id="side"
            label="Panels"
            value={side}
            onChange={setSide}
            tabs={[
              { key: 'symbols', label: 'Symbols' },
              {
                key: 'fixtures',
                label: `Fixtures${fixtures.entries.length ? ` (${fixtures.entries.length})` : ''}`,
                name: 'Fixtures',
              },
              { key: 'history', label: 'History' },
            ]}
          />
          <TabPanel id="side" tab={side}>
            {side === 'symbols' &&
              (symbols ? (
                <SymbolsPanel
                  table={symbols.table}
                  rows={symbols.rows}
                  complete={symbols.complete}
                  total={symbols.total}
                  onUse={useSymbol}
                  searchRef={searchRef}
                />
              ) : (
                <div className="empty">
                  {plugin ? 'Reading symbols…' : 'Open a plugin to see its symbols.'}
                </div>
              ))}
            {side === 'fixtures' && (
              <FixturesPanel
                dir={fixtures.dir}
                entries={fixtures.entries}
                runs={runs}
                current={openFixture?.file ?? null}
                dirty={dirty}
                busy={fixtureBusy}
                onOpen={openFixtureEntry}
                onSaveCurrent={() => void saveFixture()}
                onRename={(file, name) =>
                  void client.fixturesRename({ file, name }).then(
                    (e) => {
                      if (openFixture?.file === file && e.fixture)
                        setOpenFixture({ file: e.file, revision: e.revision, fixture: e.fixture });
                      void refreshFixtures();
                    },
                    (err: unknown) => flash(message(err), true),
                  )
                }
                onDuplicate={(file) =>
                  void client.fixturesDuplicate({ file }).then(
                    () => void refreshFixtures(),
                    (err: unknown) => flash(message(err), true),
                  )
                }
                onDelete={(file) => void deleteFixture(file)}
                onRun={(file) => void runFixture(file)}
                onRunAll={() => void runAll()}
                onEditText={setEditingText}
              />
            )}
            {side === 'history' && (
              <HistoryPanel
                client={client}
                version={historyVersion}
                onOpen={(id) => void openHistory(id)}
                onError={historyError}
              />
            )}
          </TabPanel>
        </aside>
        <div className="pane" aria-label="Composer">
          {naming && (
            <form
              className="naming"
              aria-label="New fixture"
              onSubmit={(e) => {
                e.preventDefault();
                if (naming.name.trim()) void saveFixture(naming.expect, naming.name.trim());
              }}
            >
              <label htmlFor="fixture-name">Fixture name</label>
              <input
                id="fixture-name"
                type="text"
                autoFocus
                value={naming.name}
                onChange={(e) => setNaming({ ...naming, name: e.target.value })}
                onKeyDown={(e) => e.key === 'Escape' && setNaming(null)}
              />
              <button type="submit" className="primary">
                Save fixture
              </button>
              <button type="button" onClick={() => setNaming(null)}>
                Cancel
              </button>
            </form>
          )}
          {openFixture && (
            <div className="section-title" aria-label="Open fixture">
              Fixture: {openFixture.fixture.name}{' '}
              {dirty && (
                <span className="unsaved" title="Unsaved changes (Ctrl+S saves)">
                  ● unsaved
                </span>
              )}
            </div>
          )}
          <div className="pane-scroll">
            {!plugin && booted ? (
              <div className="empty">
                <h2>Open a plugin</h2>
                <p>Type the path of a plugin (.so, .dylib, .dll) or any shared library in the bar above.</p>
                {emptyReason && <p className="error-text">{emptyReason}</p>}
              </div>
            ) : (
              <Composer
                state={composer}
                update={update}
                handlers={handlers}
                onRun={onRun}
                onSave={onSave}
                onNotice={flash}
                urlRef={urlRef}
              />
            )}
          </div>
          <div className="runbar">
            {/* Unavailable during a call without `disabled`: disabling the focused button would
                drop the keyboard user's focus to the page (and make each Run click move focus
                again); run() ignores clicks while a call runs. */}
            <button
              type="button"
              className="primary"
              onClick={onRun}
              disabled={!plugin}
              aria-disabled={running || undefined}
              title={`Run the handler (${MOD}+Enter)`}
            >
              Run
            </button>
            {running && (
              <>
                <div className="progress" role="progressbar" aria-label="Call in progress" />
                <button type="button" onClick={cancel} title="Kill the call (Esc)">
                  Cancel
                </button>
              </>
            )}
            {!running && (
              <span className="muted">
                {MOD}+Enter runs · Esc cancels · {MOD}+S saves
              </span>
            )}
          </div>
        </div>
        <section className="pane" aria-label="Result">
          {runError && (
            <div className="banner" role="alert">
              {runError}
            </div>
          )}
          {result ? (
            <ResultView result={result} onKeepExpectation={openFixture ? onKeepExpectation : null} />
          ) : (
            <div className="empty">
              <h2>No call yet</h2>
              <p>Choose a handler, compose a request, and press Run ({MOD}+Enter).</p>
            </div>
          )}
        </section>
      </main>
      <footer className="statusbar">
        <span>{status}</span>
        <span style={{ marginLeft: 'auto' }}>
          {MOD}+K symbols · {MOD}+L URL · {MOD}+O open · Alt+1/2/3 panels
        </span>
      </footer>
      {editingText && (
        <FixtureTextEditor
          client={client}
          file={editingText}
          onClose={() => setEditingText(null)}
          onSaved={(entry) => {
            flash(`Saved ${entry.file}.`);
            if (openFixture?.file === entry.file && entry.fixture) {
              setOpenFixture({ file: entry.file, revision: entry.revision, fixture: entry.fixture });
              setComposer(composerFromFixture(entry.fixture));
            }
            void refreshFixtures();
          }}
        />
      )}
      {undo && (
        <div className="toast" role="status">
          Deleted {undo.name}.
          <button type="button" onClick={() => void undoDelete()}>
            Undo
          </button>
        </div>
      )}
    </div>
  );
}
