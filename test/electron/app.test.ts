/**
 * The Electron app end to end with playwright-core's _electron: open a plugin from the command
 * line, run a handler, see a crash (in the utilityProcess host) and the next run work, see a Go
 * panic. Runs where the Electron binary exists; it is never downloaded here, and where it is
 * missing this file prints one skip line.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { requirePlugin } from '../helpers/plugins.js';
import { hasTool } from '../helpers/tools.js';

const root = path.resolve(import.meta.dirname, '..', '..');

/** The Electron executable as its installer recorded it, checked on disk (requiring 'electron' is not needed). */
function electronBinary(): string | null {
  try {
    const rel = fs.readFileSync(path.join(root, 'node_modules', 'electron', 'path.txt'), 'utf8').trim();
    const bin = path.join(root, 'node_modules', 'electron', 'dist', rel);
    return rel && fs.existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

function whyNot(): string | null {
  if (!electronBinary())
    return 'Electron binary not installed (node_modules/electron/dist); `node node_modules/electron/install.js` enables this test';
  if (!fs.existsSync(path.join(root, 'dist', 'electron', 'main.js')))
    return 'the app is not built: run `npm run build`';
  if (!fs.existsSync(path.join(root, 'dist', 'renderer', 'index.html')))
    return 'the UI is not built: run `npm run build:renderer`';
  return null;
}

const skip = whyNot();

test(
  'Electron app: open a plugin, run, crash and recover, panic',
  { skip: skip ?? false, timeout: 180_000 },
  async (t) => {
    const { _electron } = await import('playwright-core');
    const plugin = await requirePlugin(t, 'crash-c');
    if (!plugin) return;
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-electron-'));
    const app = await _electron.launch({
      executablePath: electronBinary()!,
      args: [path.join(root, 'dist', 'electron', 'main.js'), plugin],
      env: {
        ...process.env,
        XDG_CONFIG_HOME: profile,
        HOME: profile,
        ELECTRON_DISABLE_SECURITY_WARNINGS: 'true',
      },
    });
    try {
      const page = await app.firstWindow();
      assert.match(page.url(), /^app:\/\/studio\//);
      await page
        .getByRole('status', { name: 'Plugin host' })
        .filter({ hasText: 'host ready' })
        .waitFor({ timeout: 60_000 });

      // The sandboxed page has the transport and nothing of Node.
      const globals = await page.evaluate(() => ({
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
        bridge: Object.keys((globalThis as unknown as { pluginStudio: object }).pluginStudio).sort(),
      }));
      assert.deepEqual(globals, {
        require: 'undefined',
        process: 'undefined',
        bridge: ['electron', 'onEvent', 'request'],
      });

      const outcome = page.getByRole('status', { name: 'Outcome' });
      const runHandler = async (symbol: string) => {
        await page.getByLabel('Handler', { exact: true }).selectOption(symbol);
        await page.getByRole('button', { name: 'Run', exact: true }).click();
      };
      await runHandler('Ok');
      await outcome.filter({ hasText: /continue/i }).waitFor({ timeout: 30_000 });
      await runHandler('Segfault');
      await outcome.filter({ hasText: /crash/i }).waitFor({ timeout: 30_000 });
      assert.match(await page.getByRole('region', { name: 'Crash' }).innerText(), /SIGSEGV|segmentation/i);
      await runHandler('Ok');
      await outcome.filter({ hasText: /continue/i }).waitFor({ timeout: 30_000 });

      if (hasTool('go', 'version')) {
        const goPlugin = await requirePlugin(t, 'crash-go');
        if (goPlugin) {
          const result = await page.evaluate(async (file) => {
            const s = (
              globalThis as unknown as { pluginStudio: { request(op: string, a: unknown): Promise<unknown> } }
            ).pluginStudio;
            await s.request('openPlugin', { path: file });
            return s.request('call', {
              symbol: 'PanicRecovered',
              phase: 'request',
              request: { method: 'GET', url: 'http://example.test/', headers: [], body: '' },
            });
          }, goPlugin);
          const reply = result as {
            ok: boolean;
            result: { outcome: string; panic: { message: string } | null };
          };
          assert.equal(reply.ok, true);
          assert.equal(reply.result.outcome, 'panic');
          assert.ok(reply.result.panic?.message);
        }
      }
      await page.screenshot({ path: path.join(root, 'build', 'electron-app.png') });
    } finally {
      await app.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
  },
);
