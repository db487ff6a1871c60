// Interim module: the call command lands with its issue; this file is replaced then.
export const usage = 'plugin-studio call';
export async function run(_args: string[]): Promise<number> {
  process.stderr.write('plugin-studio call: not available in this build yet\n');
  return 1;
}
