/** Panics and crashes: the message, frames with the plugin's own frames marked, the raw text. */
import type { CallResult, StackFrame } from '../api.js';
import { CopyButton } from './CopyButton.js';

function Frames({ frames }: { frames: StackFrame[] }) {
  if (frames.length === 0)
    return (
      <p className="muted" style={{ margin: '4px 10px' }}>
        No stack frames were reported.
      </p>
    );
  return (
    <ol className="frames" aria-label="Stack frames">
      {frames.map((f, i) => (
        <li
          key={i}
          className={f.plugin ? 'plugin' : ''}
          aria-label={f.plugin ? `plugin frame ${f.function}` : undefined}
        >
          {f.plugin && <span className="badge handler">your code</span>} {f.function}
          {f.file && (
            <span className="loc">
              {f.file}
              {f.line !== null ? `:${f.line}` : ''}
            </span>
          )}
        </li>
      ))}
    </ol>
  );
}

export function StackView({ result }: { result: CallResult }) {
  const { panic, crash } = result;
  return (
    <div>
      {panic && (
        <section aria-label="Panic">
          <div className="section-title">Panic message</div>
          <pre className="pre" aria-label="Panic message">
            {panic.message}
          </pre>
          <div className="section-title">Stack</div>
          <Frames frames={panic.frames} />
          <div className="section-title row-actions">
            Raw stack <CopyButton text={`panic: ${panic.message}\n\n${panic.stack}`} label="Copy panic" />
          </div>
          <pre className="pre">{panic.stack}</pre>
        </section>
      )}
      {crash && (
        <section aria-label="Crash">
          <div className="section-title">What happened</div>
          <p style={{ margin: '4px 10px' }}>{crash.message}</p>
          {crash.signal && !(crash.signalDescription && crash.message.includes(crash.signalDescription)) && (
            <p style={{ margin: '4px 10px' }}>
              <strong className="mono">{crash.signal}</strong>
              {crash.signalDescription ? `: ${crash.signalDescription}` : ''}
            </p>
          )}
          {crash.exitCode !== null && <p style={{ margin: '4px 10px' }}>Exit code {crash.exitCode}.</p>}
          <p style={{ margin: '4px 10px' }} className={crash.restarted ? '' : 'error-text'}>
            {crash.restarted
              ? 'The plugin host was restarted: the next call runs in a fresh process.'
              : 'The plugin host was not restarted; use Restart host.'}
          </p>
          {crash.traceMessage && (
            <>
              <div className="section-title">{crash.trace ?? 'trace'} message</div>
              <pre className="pre">{crash.traceMessage}</pre>
            </>
          )}
          {crash.frames.length > 0 && (
            <>
              <div className="section-title">Stack</div>
              <Frames frames={crash.frames} />
            </>
          )}
          <div className="section-title row-actions">
            Captured stderr <CopyButton text={crash.stderr} label="Copy stderr" />
          </div>
          <pre className="pre">{crash.stderr || '(nothing)'}</pre>
        </section>
      )}
    </div>
  );
}
