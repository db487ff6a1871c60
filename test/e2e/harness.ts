/**
 * End-to-end harness: the real `plugin-studio serve` (built CLI, built renderer) in a child process
 * and real Chromium through playwright-core. Debian's /usr/bin/chromium when present, else
 * Playwright's own build.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const SHOTS = path.join(ROOT, 'build', 'e2e-screenshots');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export function chromiumPath(): string | undefined {
  return fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

/** Why the e2e tests cannot run here (a sentence), or null when they can. */
export function missingPrerequisite(): string | null {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'renderer', 'index.html')))
    return 'the UI is not built (dist/renderer): run `npm run build`';
  if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'main.js')))
    return 'the CLI is not built (dist/src): run `npm run build`';
  if (!chromiumPath() && !fs.existsSync(chromium.executablePath()))
    return 'no Chromium: install the Debian package chromium';
  return null;
}

export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

export interface Served {
  url: string;
  child: ChildProcess;
  dataDir: string;
  stderr: () => string;
  close(): Promise<void>;
}

/** Starts `plugin-studio serve PLUGIN --no-open` (any free port) and reads the URL it prints. */
export async function serve(plugin: string | null, extraEnv: Record<string, string> = {}): Promise<Served> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-e2e-data-'));
  const args = [
    path.join(ROOT, 'bin', 'plugin-studio.js'),
    'serve',
    ...(plugin ? [plugin] : []),
    '--no-open',
  ];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, PLUGIN_STUDIO_DATA_DIR: dataDir, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A test process that dies early must not leave a server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL in 60 s; stderr: ${err}`)), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /https?:\/\/127\.0\.0\.1:\d+\/\S*/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before printing its URL; stderr: ${err}`));
    });
  });
  return {
    url,
    child,
    dataDir,
    stderr: () => err,
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Collects page errors and CSP violations: a test fails on any. */
export function watchPage(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  return problems;
}

/**
 * Waits until a Monaco diff editor on the page shows `text`. Polled with page.evaluate (page code as
 * a string: no DOM types here): Playwright's waitForFunction polls through eval, which the studio's
 * CSP forbids.
 */
export async function waitForDiffText(page: Page, text: string, timeoutMs = 15_000): Promise<void> {
  const probe = `[...document.querySelectorAll('.monaco-diff-editor .view-lines')].some((e) => (e.textContent || '').replace(/\\u00a0/g, ' ').includes(${JSON.stringify(text)}))`;
  await until(async () => (await page.evaluate(probe)) === true, `the diff to show ${text}`, timeoutMs);
}

/** Pastes text into the focused element the way a clipboard paste arrives (a cancelable paste event). */
export async function pasteText(page: Page, text: string): Promise<void> {
  await page.evaluate(
    `(() => { const d = new DataTransfer(); d.setData('text/plain', ${JSON.stringify(text)}); document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: d, bubbles: true, cancelable: true })); })()`,
  );
}

/** Polls `check` until it holds (Playwright's expect is not part of playwright-core). */
export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A file with 70,000+ symbols to open: the Node executable when it is statically linked (as
 * here), or Debian's libnode.so when node links it: the largest of the candidates.
 */
export function bigBinary(): string {
  const libDir = '/usr/lib/x86_64-linux-gnu';
  const libnode = fs.existsSync(libDir)
    ? fs
        .readdirSync(libDir)
        .filter((f) => /^libnode\.so\.\d+$/.test(f))
        .map((f) => path.join(libDir, f))
    : [];
  const candidates = ['/usr/bin/node', process.execPath, ...libnode].filter((f) => fs.existsSync(f));
  return candidates.map((f) => [f, fs.statSync(f).size] as const).sort((a, b) => b[1] - a[1])[0]![0];
}
