import os from 'node:os';
import path from 'node:path';

/** Where the CLI and browser mode keep the call history (Electron uses app.getPath('userData')). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.PLUGIN_STUDIO_DATA_DIR) return env.PLUGIN_STUDIO_DATA_DIR;
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'plugin-studio');
  if (platform === 'win32')
    return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'plugin-studio');
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'plugin-studio');
}
