// Interim module: the symbols command lands with its issue; this file is replaced then.
export const usage = 'plugin-studio symbols';
export async function run(_args: string[]): Promise<number> {
  process.stderr.write('plugin-studio symbols: not available in this build yet\n');
  return 1;
}
