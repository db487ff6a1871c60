// Interim module: the test command lands with its issue; this file is replaced then.
export const usage = 'plugin-studio test';
export async function run(_args: string[]): Promise<number> {
  process.stderr.write('plugin-studio test: not available in this build yet\n');
  return 1;
}
