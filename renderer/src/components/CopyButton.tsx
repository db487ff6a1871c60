import { useState } from 'react';
import { copyText } from '../lib/clipboard.js';

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState<null | boolean>(null);
  return (
    <button
      type="button"
      className="small"
      aria-label={label}
      onClick={() => {
        void copyText(text).then((ok) => {
          setDone(ok);
          setTimeout(() => setDone(null), 1500);
        });
      }}
    >
      {done === null ? 'Copy' : done ? 'Copied' : 'Copy failed'}
    </button>
  );
}
