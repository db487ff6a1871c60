// Interim module: the import command lands with its issue; this file is replaced then.
export const usage = 'plugin-studio import';
export async function run(_args: string[]): Promise<number> {
  process.stderr.write('plugin-studio import: not available in this build yet\n');
  return 1;
}
