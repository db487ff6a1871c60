import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './api.js';
import { App } from './App.js';
import { electronTransport } from './transport-electron.js';
import { createWsTransport } from './transport-ws.js';
import './styles.css';

function ConnectionBanner({
  subscribe,
}: {
  subscribe: ((l: (ok: boolean, why: string | null) => void) => void) | null;
}) {
  const [lost, setLost] = useState<string | null>(null);
  useEffect(() => subscribe?.((ok, why) => setLost(ok ? null : why)), [subscribe]);
  if (!lost) return null;
  return (
    <div className="banner" role="alert" style={{ position: 'fixed', top: 0, left: 0, right: 0, zIndex: 20 }}>
      Lost the connection to the studio ({lost}); reconnecting…
    </div>
  );
}

const electron = electronTransport();
const ws = electron ? null : createWsTransport();
const client = createClient(electron ?? ws!, {
  onInvalidEvent: (event, why) => console.error(`ignored a malformed ${event} event: ${why}`),
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App client={client} />
    <ConnectionBanner subscribe={ws ? (l) => ws.onConnection(l) : null} />
  </StrictMode>,
);
