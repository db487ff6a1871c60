/** The plugin open now: path, what the file is, the host's state, restart, "rebuilt, reloaded". */
import { memo, useEffect, useState } from 'react';
import type { HostState, PluginState } from '../api.js';

const HOST_WORDS: Record<HostState, string> = {
  starting: 'starting',
  ready: 'ready',
  busy: 'running a call',
  crashed: 'crashed',
  restarting: 'restarting',
  stopped: 'stopped',
  failed: 'failed to load',
};

// Memoized: the app re-renders on every composer keystroke and result, which the bar never shows.
export const PluginBar = memo(function PluginBar(props: {
  plugin: PluginState | null;
  host: HostState | null;
  hostDetail: string | null;
  notice: { text: string; bad: boolean } | null;
  opening: boolean;
  onOpen: (path: string) => void;
  onRestart: () => void;
  pathInputRef: React.RefObject<HTMLInputElement | null>;
}) {
  const { plugin } = props;
  const [path, setPath] = useState(plugin?.path ?? '');
  useEffect(() => setPath(plugin?.path ?? ''), [plugin?.path]);
  const b = plugin?.binary ?? null;
  const host = props.host ?? plugin?.host ?? null;
  return (
    <header className="pluginbar" aria-label="Plugin" data-plugin-path={plugin?.path ?? ''}>
      <span className="brand">Plugin Studio</span>
      <form
        className="path"
        onSubmit={(e) => {
          e.preventDefault();
          if (path.trim() !== '') props.onOpen(path.trim());
        }}
      >
        <input
          ref={props.pathInputRef}
          type="text"
          aria-label="Plugin file"
          placeholder="/path/to/plugin.so"
          value={path}
          spellCheck={false}
          onChange={(e) => setPath(e.target.value)}
        />
        <button type="submit" disabled={props.opening}>
          {props.opening ? 'Opening…' : 'Open'}
        </button>
      </form>
      {b && (
        <div className="chips" aria-label="Plugin file details" role="group">
          <span className="chip" title={b.description}>
            {b.format.toUpperCase()} {b.fileType}
          </span>
          <span className="chip">{b.arch}</span>
          {b.go?.version && <span className="chip">Go {b.go.version.replace(/^go/, '')}</span>}
          {plugin?.plugin && (
            <span className="chip">
              {plugin.plugin.kind === 'go-plugin'
                ? 'Go plugin'
                : plugin.plugin.studioAbi
                  ? `Studio ABI ${plugin.plugin.abiVersion ?? ''}`
                  : 'not a Studio plugin'}
            </span>
          )}
          <span className="chip">{plugin?.symbolCount.toLocaleString('en-US')} symbols</span>
        </div>
      )}
      {plugin && host && (
        <span className="host" role="status" aria-label="Plugin host">
          <span className={`dot ${host}`} aria-hidden="true" />
          host {HOST_WORDS[host]}
          {props.hostDetail && <span className="muted">({props.hostDetail})</span>}
        </span>
      )}
      {plugin && (
        <button
          type="button"
          onClick={props.onRestart}
          title="Restart the plugin host and read the file again (Ctrl+Shift+R)"
        >
          Restart host
        </button>
      )}
      {plugin?.error && (
        <p className="plugin-error" role="alert">
          {plugin.error}
        </p>
      )}
      {props.notice && (
        <span className={`notice${props.notice.bad ? ' bad' : ''}`} role="status">
          {props.notice.text}
        </span>
      )}
    </header>
  );
});
