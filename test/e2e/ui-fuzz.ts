import { mulberry32 as rng } from '../helpers/random.js';
export { rng };

const TOKENS = [
  "'",
  '"',
  '\\',
  '^',
  '$',
  "$'",
  '\n',
  ' -H ',
  ' -d ',
  ' -X',
  ' --data-urlencode ',
  ' -F ',
  '@',
  '=',
  ':',
  '`',
  '|',
  '&&',
  '#',
  '\u0000',
  '\u{1F600}',
  '%',
  '-',
  '--',
  ' curl ',
  '\\x4',
  '^\n',
];

export function mutate(seed: string, random: () => number): string {
  let s = seed;
  const n = 1 + Math.floor(random() * 6);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(random() * (s.length + 1));
    const op = random();
    if (op < 0.35) s = s.slice(0, at) + TOKENS[Math.floor(random() * TOKENS.length)]! + s.slice(at);
    else if (op < 0.6) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(random() * 8));
    else if (op < 0.8)
      s = s.slice(0, at) + String.fromCharCode(Math.floor(random() * 0x3000)) + s.slice(at + 1);
    else {
      const from = Math.floor(random() * s.length);
      s = s.slice(0, at) + s.slice(from, from + Math.floor(random() * 40)) + s.slice(at);
    }
  }
  return s;
}
