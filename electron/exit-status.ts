import os from 'node:os';

/** Number to name; the first name wins where two share a number (SIGABRT before SIGIOT). */
const SIGNAL_NAMES = new Map<number, string>();
for (const [name, n] of Object.entries(os.constants.signals))
  if (!SIGNAL_NAMES.has(n)) SIGNAL_NAMES.set(n, name);

/**
 * utilityProcess reports the raw waitpid() status on POSIX (GetExitCodeProcess on Windows):
 * split it into Node's (code, signal) pair, which is what the supervisor reads crashes from.
 */
export function decodeExitStatus(
  status: number,
  platform: NodeJS.Platform = process.platform,
): { code: number | null; signal: string | null } {
  if (platform === 'win32') return { code: status, signal: null };
  const sig = status & 0x7f;
  if (sig !== 0 && sig !== 0x7f) return { code: null, signal: SIGNAL_NAMES.get(sig) ?? `signal ${sig}` };
  return { code: (status >> 8) & 0xff, signal: null };
}
