// Interim module: the serve command lands with its issue; this file is replaced then.
export const usage = 'plugin-studio serve';
export async function run(_args: string[]): Promise<number> {
  process.stderr.write('plugin-studio serve: not available in this build yet\n');
  return 1;
}
