/**
 * The studio end to end, in real Chromium against the real `plugin-studio serve`, with real compiled
 * plugins: open, search 70,000+ symbols, compose, run request and response handlers, reject, panic,
 * crash and recovery, cancel, curl paste, fixtures, history. Screenshots go to build/e2e-screenshots
 * (the best are copied to docs/ by hand).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildPlugin } from '../helpers/plugins.js';
import { hasTool } from '../helpers/tools.js';
import {
  ROOT,
  bigBinary,
  launchBrowser,
  missingPrerequisite,
  pasteText,
  screenshot,
  serve,
  until,
  waitForDiffText,
  watchPage,
  type Served,
} from './harness.js';

const missing =
  missingPrerequisite() ?? (hasTool('go', 'version') ? null : 'go not found (Debian package golang-go)');
if (missing && process.env.CI === 'true') throw new Error(`e2e: ${missing}`);

/** Copies a plugin into a fresh folder, so its fixtures/ folder is the test's own. */
function isolated(file: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-e2e-plugin-'));
  const dest = path.join(dir, path.basename(file));
  fs.copyFileSync(file, dest);
  return dest;
}

describe('studio in Chromium (browser mode)', { skip: missing ?? false, timeout: 240_000 }, () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let exampleC: string;
  let crashC: string;
  let crashGo: string;

  const outcome = () => page.getByRole('status', { name: 'Outcome' });
  const run = () => page.getByRole('button', { name: 'Run', exact: true }).click();
  async function waitOutcome(title: string) {
    await outcome().filter({ hasText: title }).waitFor({ timeout: 20_000 });
  }
  async function openPlugin(file: string) {
    const input = page.getByRole('textbox', { name: 'Plugin file' });
    await input.fill(file);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    // The bar names the plugin it shows: wait for this one, then for its host.
    await page.locator(`header[data-plugin-path="${file}"]`).waitFor({ timeout: 60_000 });
    await page
      .getByRole('status', { name: 'Plugin host' })
      .filter({ hasText: 'host ready' })
      .waitFor({ timeout: 60_000 });
  }
  /** The 1-based row of a header in the composer's headers table. */
  async function headerNumber(name: string): Promise<number> {
    const names = await page
      .getByRole('textbox', { name: /^Header \d+ name$/ })
      .evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value.toLowerCase()));
    const i = names.indexOf(name.toLowerCase());
    assert.ok(i >= 0, `header ${name} among ${names.join(', ')}`);
    return i + 1;
  }
  async function chooseHandler(symbol: string) {
    await page.getByLabel('Handler', { exact: true }).selectOption(symbol);
  }

  before(async () => {
    [exampleC, crashC, crashGo] = await Promise.all([
      buildPlugin('example-c').then(isolated),
      buildPlugin('crash-c'),
      buildPlugin('crash-go'),
    ]);
    served = await serve(exampleC);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    problems = watchPage(page);
    await page.goto(served.url);
  });

  after(async () => {
    await browser?.close();
    await served?.close();
    if (exampleC) fs.rmSync(path.dirname(exampleC), { recursive: true, force: true });
  });

  it('opens the plugin given on the command line with its handlers first', async () => {
    await page.getByRole('status', { name: 'Plugin host' }).filter({ hasText: 'host ready' }).waitFor();
    const list = page.getByRole('listbox', { name: 'Symbols' });
    const first = list.getByRole('option').first();
    await first.waitFor();
    assert.match(await first.innerText(), /request\s+AddHeader/);
    assert.match(
      await page.getByRole('group', { name: 'Plugin file details' }).innerText(),
      /ELF.*x64.*Studio ABI 1/s,
    );
  });

  it('composes a request and shows the header a request handler added, in the diff', async () => {
    await chooseHandler('AddHeader');
    await page.getByLabel('Method').selectOption('POST');
    const url = page.getByRole('textbox', { name: 'URL' });
    await url.fill('http://api.example.com/orders?id=7&debug');
    await page.getByRole('tab', { name: /Params/ }).click();
    assert.equal(await page.getByRole('textbox', { name: 'Parameter 1 value' }).inputValue(), '7');
    // The table edits the URL.
    await page.getByRole('textbox', { name: 'Parameter 1 value' }).fill('8');
    assert.equal(await url.inputValue(), 'http://api.example.com/orders?id=8&debug');
    await page.getByRole('tab', { name: /Headers/ }).click();
    await page.getByRole('button', { name: 'Add header' }).click();
    const n = await page.getByRole('textbox', { name: /^Header \d+ name$/ }).count();
    await page.getByRole('textbox', { name: `Header ${n} name` }).fill('X-Trace');
    await page.getByRole('textbox', { name: `Header ${n} value` }).fill('e2e');
    await page.getByRole('tab', { name: 'Body' }).click();
    await page.getByRole('radio', { name: 'JSON' }).check();
    const body = page.locator('.composer-body .monaco-editor .view-lines');
    await body.waitFor({ timeout: 30_000 });
    await body.click();
    await page.keyboard.press('ControlOrMeta+A');
    // Typed key by key, as a person would (Monaco closes brackets and quotes and types over them).
    await page.keyboard.type('{"qty": 1}');
    await page.getByRole('button', { name: 'Format JSON' }).click();
    await page.getByRole('tab', { name: /Config/ }).click();
    await run();
    await waitOutcome('Continue');
    const changes = page.getByRole('list', { name: 'Request changes' });
    assert.match(await changes.innerText(), /\+ X-Example: plugin-studio/);
    const diff = page.getByRole('group', { name: 'Request before and after the handler' });
    await diff.locator('.monaco-diff-editor').waitFor();
    await waitForDiffText(page, 'X-Example: plugin-studio');
    assert.match(await diff.innerText(), /X-Trace:\s+e2e/);
    assert.match(await diff.innerText(), /"qty":\s+1/);
    await screenshot(page, 'request-handler-diff');
  });

  it('imports a curl command pasted into the URL field', async () => {
    const url = page.getByRole('textbox', { name: 'URL' });
    await url.focus();
    await pasteText(
      page,
      `curl 'https://shop.example.com/api/cart?lang=en' -H 'Authorization: Bearer abc' -H 'Content-Type: application/json' --data-raw '{"sku":"A1"}' --compressed -L`,
    );
    assert.equal(await url.inputValue(), 'https://shop.example.com/api/cart?lang=en');
    assert.equal(await page.getByLabel('Method').inputValue(), 'POST');
    await page.getByRole('tab', { name: /Headers/ }).click();
    // curl's own headers (--compressed) come first, as curl sends them.
    assert.equal(
      await page.getByRole('textbox', { name: 'Header 1 value' }).inputValue(),
      'deflate, gzip, br, zstd',
    );
    assert.equal(
      await page
        .getByRole('textbox', { name: `Header ${await headerNumber('Authorization')} value` })
        .inputValue(),
      'Bearer abc',
    );
    await page.getByRole('status').filter({ hasText: 'not applied: -L' }).waitFor();
  });

  it('runs a 403 handler and shows the reject with its body', async () => {
    await chooseHandler('RequireToken');
    await page.getByRole('tab', { name: /Headers/ }).click();
    // Switch the Authorization header off: the handler must answer 403.
    const auth = page.getByRole('checkbox', {
      name: `Header ${await headerNumber('Authorization')} enabled`,
    });
    await auth.uncheck();
    await run();
    await waitOutcome('Reject');
    assert.match(await outcome().innerText(), /status 403/);
    const response = page.getByRole('region', { name: 'Response' });
    assert.equal((await response.getByLabel('Response status', { exact: true }).innerText()).trim(), '403');
    assert.ok((await response.getByLabel('Response body', { exact: true }).innerText()).length > 0);
    await screenshot(page, 'reject-403');
    // With the header back on, the request continues.
    await auth.check();
    await run();
    await waitOutcome('Continue');
  });

  it('runs a response handler against an upstream response', async () => {
    await chooseHandler('StripServer');
    assert.equal(await page.getByLabel('Phase', { exact: true }).inputValue(), 'response');
    await page.getByRole('tab', { name: 'Upstream response' }).click();
    await page.getByRole('spinbutton', { name: 'Upstream status' }).fill('200');
    await run();
    await waitOutcome('Continue');
    const response = page.getByRole('region', { name: 'Response' });
    const headers = await response.innerText();
    assert.doesNotMatch(headers, /^Server:/m);
    assert.match(headers, /hello from gateway/);
    await waitForDiffText(page, 'gateway');
    await screenshot(page, 'response-handler');
  });

  it('sends a body read from a file as bytes', async () => {
    await chooseHandler('AddHeader');
    await page.getByRole('tab', { name: 'Body' }).click();
    await page.getByRole('radio', { name: 'File' }).check();
    await page.getByLabel('Body from file').setInputFiles({
      name: 'blob.bin',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from([0xff, 0x00, 0xfe, 0x41]),
    });
    await page.getByText('blob.bin, 4 B').waitFor();
    await run();
    await waitOutcome('Continue');
    await waitForDiffText(page, '[binary body, 4 bytes, base64]');
    await waitForDiffText(page, '/wD+QQ==');
    await page.getByRole('radio', { name: 'JSON' }).check();
  });

  it('works from the keyboard alone', async () => {
    await page.keyboard.press('ControlOrMeta+K');
    const search = page.getByRole('searchbox', { name: 'Search symbols' });
    await until(
      async () => search.evaluate((e) => e === e.ownerDocument.activeElement),
      'focus in the symbol search',
    );
    await page.keyboard.type('requiretok');
    const list = page.getByRole('listbox', { name: 'Symbols' });
    await list.getByRole('option', { name: /RequireToken/ }).waitFor();
    await page.keyboard.press('ArrowDown');
    await until(async () => list.evaluate((e) => e === e.ownerDocument.activeElement), 'focus in the list');
    assert.match((await list.getAttribute('aria-activedescendant')) ?? '', /^sym-\d+$/);
    await page.keyboard.press('Enter');
    assert.equal(await page.getByLabel('Handler', { exact: true }).inputValue(), 'RequireToken');
    // Enter on a symbol puts the focus in the URL, ready to type.
    const url = page.getByRole('textbox', { name: 'URL' });
    await until(async () => url.evaluate((e) => e === e.ownerDocument.activeElement), 'focus in the URL');
    await page.keyboard.press('ControlOrMeta+Enter');
    await waitOutcome('Continue');
    await page.keyboard.press('Alt+3');
    await page.getByRole('searchbox', { name: 'Search history' }).waitFor();
    await page.keyboard.press('Alt+1');
    await search.fill('');
  });

  it('keeps requests as fixtures: save, unsaved marker, run, expectation, duplicate, rename, fail, delete and undo', async () => {
    await chooseHandler('AddHeader');
    await page.keyboard.press('ControlOrMeta+S');
    await page.getByRole('textbox', { name: 'Fixture name' }).fill('adds the example header');
    await page.getByRole('button', { name: 'Save fixture' }).click();
    await page.getByRole('tab', { name: 'Fixtures' }).click();
    const list = page.getByRole('list', { name: 'Fixtures' });
    const opener = (name: string) => list.getByRole('button', { name: `Open fixture ${name}`, exact: true });
    await opener('adds the example header').waitFor();

    await page.getByRole('textbox', { name: 'URL' }).fill('http://api.example.com/v1/items');
    const unsaved = page.getByLabel('Composer').getByText('● unsaved');
    await unsaved.waitFor();
    await page.keyboard.press('ControlOrMeta+S');
    await unsaved.waitFor({ state: 'detached' });

    await run();
    await waitOutcome('Continue');
    await page.getByRole('button', { name: 'Keep this result as the expectation' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^Saved / })
      .waitFor();
    await list.getByRole('button', { name: 'Run fixture adds the example header' }).click();
    await list.getByLabel('adds the example header passed').waitFor();

    await list.getByRole('button', { name: 'Duplicate fixture adds the example header' }).click();
    await list
      .getByRole('button', { name: /^Open fixture / })
      .nth(1)
      .waitFor();
    await list.getByRole('button', { name: 'Rename fixture adds the example header', exact: true }).click();
    await list.getByRole('textbox', { name: 'New name for adds the example header' }).fill('adds X-Example');
    await page.keyboard.press('Enter');
    await opener('adds X-Example').waitFor();
    const names = await list
      .getByRole('button', { name: /^Open fixture / })
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')!.replace(/^Open fixture /, '')));
    const copy = names.find((n) => n !== 'adds X-Example')!;
    assert.ok(copy, `a duplicate among ${names.join(', ')}`);

    // Break the copy: RequireToken without the Authorization header rejects, the expectation says continue.
    await opener(copy).click();
    await chooseHandler('RequireToken');
    await page.getByRole('tab', { name: /Headers/ }).click();
    await page
      .getByRole('checkbox', { name: `Header ${await headerNumber('Authorization')} enabled` })
      .uncheck();
    await page.keyboard.press('ControlOrMeta+S');
    await page.getByLabel('Composer').getByText('● unsaved').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Run all' }).click();
    await page
      .getByRole('status', { name: 'Fixture results' })
      .filter({ hasText: '1 passed, 1 failed' })
      .waitFor();
    assert.match(await list.getByLabel(`Failures of ${copy}`).innerText(), /outcome/i);
    await screenshot(page, 'fixtures');

    // The file as text: what is not a valid fixture is refused with the reason, never written.
    await list.getByRole('button', { name: 'Edit fixture adds X-Example as text' }).click();
    const dialog = page.getByRole('dialog', { name: /^Edit fixture / });
    const text = dialog.locator('.monaco-editor .view-lines');
    await text.filter({ hasText: 'adds X-Example' }).waitFor();
    await text.click();
    // The fixture JSON Schema checks the text as it is typed: a phase that does not exist.
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText(
      'version: 2\nname: x\ntarget: {phase: sideways}\nrequest: {method: GET}\n',
    );
    const problems = dialog.getByRole('status', { name: 'Schema problems' });
    await problems.filter({ hasText: /line 3: .*request.*response/ }).waitFor();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('version: 2\nname: [');
    await dialog.getByRole('button', { name: 'Save file' }).click();
    await dialog.getByRole('alert').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    await opener('adds X-Example').waitFor();

    await list.getByRole('button', { name: `Delete fixture ${copy}` }).click();
    await opener(copy).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Undo' }).click();
    await opener(copy).waitFor();
  });

  it('reloads a rebuilt plugin file and says so', async () => {
    const fresh = await buildPlugin('example-c');
    // A rebuild writes a new file in place of the old one: a new inode, as a linker does.
    fs.copyFileSync(fresh, `${exampleC}.new`);
    fs.renameSync(`${exampleC}.new`, exampleC);
    await page.getByRole('status').filter({ hasText: 'rebuilt, reloaded' }).waitFor({ timeout: 30_000 });
    await page
      .getByRole('status', { name: 'Plugin host' })
      .filter({ hasText: 'host ready' })
      .waitFor({ timeout: 30_000 });
    await chooseHandler('AddHeader');
    await run();
    await waitOutcome('Continue');
  });

  it('shows a Go panic with its message and the plugin frame', async () => {
    await openPlugin(crashGo);
    assert.match(await page.getByRole('group', { name: 'Plugin file details' }).innerText(), /Go 1\.\d+/);
    await chooseHandler('PanicRecovered');
    await run();
    await waitOutcome('Panic');
    const panic = page.getByRole('region', { name: 'Panic' });
    assert.match(await panic.getByLabel('Panic message').innerText(), /assignment to entry in nil map/);
    const pluginFrames = panic.locator('li.plugin');
    assert.ok((await pluginFrames.count()) >= 1, "at least one frame is marked as the plugin's own");
    assert.match(await pluginFrames.first().innerText(), /crash\.go:\d+/);
    await screenshot(page, 'panic');
  });

  it('explains a segfault, restarts the host, and the next call succeeds', async () => {
    await openPlugin(crashC);
    await chooseHandler('Segfault');
    await run();
    await waitOutcome('Crash');
    const crash = page.getByRole('region', { name: 'Crash' });
    const text = await crash.innerText();
    assert.match(text, /SIGSEGV/);
    assert.match(text, /segmentation fault/i);
    assert.match(text, /restarted/);
    await screenshot(page, 'crash');
    await chooseHandler('Ok');
    await run();
    await waitOutcome('Continue');
  });

  it('cancels a hanging call with Escape or the Cancel button', async () => {
    await chooseHandler('Hang');
    await run();
    await page.getByRole('progressbar', { name: 'Call in progress' }).waitFor();
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await waitOutcome('Error');
    assert.match(await outcome().innerText(), /cancel/i);
    await chooseHandler('Ok');
    await page.keyboard.press('ControlOrMeta+Enter');
    await waitOutcome('Continue');
  });

  it('keeps every call in the history and reopens one into the composer', async () => {
    await page.getByRole('tab', { name: 'History' }).click();
    const list = page.getByRole('list', { name: 'History' });
    await list.getByRole('button').first().waitFor();
    assert.ok((await list.getByRole('button').count()) >= 8);
    await page.getByRole('searchbox', { name: 'Search history' }).fill('Segfault');
    await list
      .getByRole('button', { name: /Segfault, Crash/ })
      .first()
      .click();
    const handler = page.getByLabel('Handler', { exact: true });
    await until(async () => (await handler.inputValue()) === 'Segfault', 'the history entry in the composer');
    await waitOutcome('Crash');
  });

  it('searches the 70,000+ symbols of a large executable', async () => {
    await page.getByRole('tab', { name: 'Symbols' }).click();
    await page.getByRole('textbox', { name: 'Plugin file' }).fill(bigBinary());
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    const count = page.getByTestId('symbol-count');
    await count.filter({ hasText: /of [0-9,]{6,} symbols/ }).waitFor({ timeout: 60_000 });
    const total = Number(/of ([0-9,]+) symbols/.exec(await count.innerText())![1]!.replace(/,/g, ''));
    assert.ok(total >= 70_000, `${total} symbols`);
    const search = page.getByRole('searchbox', { name: 'Search symbols' });
    await search.fill('uv_loop_init');
    const list = page.getByRole('listbox', { name: 'Symbols' });
    await list
      .getByRole('option', { name: /uv_loop_init/ })
      .first()
      .waitFor();
    // Fuzzy: letters in order, not adjacent.
    await search.fill('uvlpinit');
    await list
      .getByRole('option', { name: /uv_loop_init/ })
      .first()
      .waitFor();
    // Demangled C++ names are searched too.
    await search.fill('v8::Isolate::');
    await list
      .getByRole('option', { name: /v8::Isolate::/ })
      .first()
      .waitFor();
    await list.getByRole('option').first().click();
    const details = page.getByRole('region', { name: 'Symbol details' });
    assert.match(await details.innerText(), /demangled/);
    // Only the visible rows exist in the DOM.
    await search.fill('');
    assert.ok((await list.getByRole('option').count()) < 200);
    await search.fill('uv_loop');
    await list.getByRole('option').first().click();
    await screenshot(page, 'symbols');
    // The theme follows the OS.
    await page.emulateMedia({ colorScheme: 'dark' });
    const bg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    assert.equal(bg, 'rgb(27, 30, 36)');
    await screenshot(page, 'symbols-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('raised no page errors and no CSP violations', () => {
    assert.deepEqual(problems, []);
  });
});

describe(
  'studio in Chromium: first start with no plugin chosen',
  { skip: missing ?? false, timeout: 180_000 },
  () => {
    let served: Served;
    let browser: Browser;

    before(async () => {
      // The bundled example plugin, where the studio looks for it (npm run build:examples).
      const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build-examples.mjs')], {
        encoding: 'utf8',
      });
      assert.equal(built.status, 0, built.stderr);
      served = await serve(null);
      browser = await launchBrowser();
    });

    after(async () => {
      await browser?.close();
      await served?.close();
    });

    it('opens the example plugin with a ready request, and one click runs it', async () => {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      const problems = watchPage(page);
      await page.goto(served.url);
      await page
        .getByRole('status', { name: 'Plugin host' })
        .filter({ hasText: 'host ready' })
        .waitFor({ timeout: 60_000 });
      assert.match(
        await page.getByRole('textbox', { name: 'Plugin file' }).inputValue(),
        /libexample-c\.so$/,
      );
      assert.equal(await page.getByLabel('Handler', { exact: true }).inputValue(), 'AddHeader');
      assert.equal(
        await page.getByRole('textbox', { name: 'URL' }).inputValue(),
        'http://api.example.com/orders?id=7',
      );
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await page
        .getByRole('status', { name: 'Outcome' })
        .filter({ hasText: 'Continue' })
        .waitFor({ timeout: 20_000 });
      assert.match(await page.getByRole('list', { name: 'Request changes' }).innerText(), /\+ X-Example/);
      assert.deepEqual(problems, []);
    });
  },
);
