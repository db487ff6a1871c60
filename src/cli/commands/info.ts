// Interim module: the info command lands with its issue; this file is replaced then.
export const usage = 'plugin-studio info';
export async function run(_args: string[]): Promise<number> {
  process.stderr.write('plugin-studio info: not available in this build yet\n');
  return 1;
}
