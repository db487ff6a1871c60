// Interim module: the bench command lands with its issue; this file is replaced then.
export const usage = 'plugin-studio bench';
export async function run(_args: string[]): Promise<number> {
  process.stderr.write('plugin-studio bench: not available in this build yet\n');
  return 1;
}
