// Interim module: the export command lands with its issue; this file is replaced then.
export const usage = 'plugin-studio export';
export async function run(_args: string[]): Promise<number> {
  process.stderr.write('plugin-studio export: not available in this build yet\n');
  return 1;
}
