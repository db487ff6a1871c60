/**
 * Plugins that import the Tyk gateway's packages. Without a gateway checkout they load with their
 * own copy and the studio says what is missing; with one (here a minimal module at Tyk's import
 * path, see test/plugins/go-tyk/gateway/README.md) the bridge is built inside a Go workspace with
 * it and ctx.GetSession / ctx.GetDefinition see the fixture config.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { prepareGoHost } from '../../src/runner/gobridge.js';
import { openPlugin } from '../../src/runner/index.js';
import type { GoHostOptions } from '../../src/runner/gobridge.js';
import type { CallInput } from '../../src/runner/types.js';
import { hasTool } from '../helpers/tools.js';
import { buildGatewayPlugin, gatewayCheckout, outDir, sourceDir } from '../plugins/go-tyk/build.js';

const haveGo = hasTool('go', 'version');
if (!haveGo && process.env.CI === 'true')
  throw new Error('go not found (Debian package golang-go): CI must install it (.ci/run)');
const skip = haveGo ? false : 'go not found (Debian package golang-go)';

const cache = path.join(outDir, `gateway-cache-${process.pid}`);
process.env.PLUGIN_STUDIO_CACHE = cache;
delete process.env.PLUGIN_STUDIO_TYK_GATEWAY;
after(() => fs.rmSync(cache, { recursive: true, force: true }));

const input: CallInput = {
  symbol: 'WhoAmI',
  phase: 'request',
  request: { method: 'GET', url: 'http://api.example.com/me', headers: [], body: '' },
  config: {
    tyk_session: { org_id: 'org-7', alias: 'ann', meta_data: { tier: 'gold' } },
    tyk_api_definition: { api_id: 'a1', name: 'Orders API' },
    tyk_auth_token: 'key-123',
  },
};

test(
  'without a gateway checkout: the plugin loads, the context is empty, the studio says what is needed',
  { skip },
  async () => {
    const progress: string[] = [];
    const s = await openPlugin(buildGatewayPlugin(), { onProgress: (m) => progress.push(m) });
    try {
      assert.match(
        progress.join('\n'),
        /This plugin uses Tyk gateway packages \(github\.com\/TykTechnologies\/tyk\/ctx.*set PLUGIN_STUDIO_TYK_GATEWAY to a checkout of the Tyk gateway release the plugin was built against/,
      );
      const r = await s.call(input);
      assert.equal(r.outcome, 'reject');
      assert.equal(r.response?.body, 'session false, definition false');
    } finally {
      await s.close();
    }
  },
);

test(
  'with the gateway checkout: a workspace bridge fills ctx from the fixture config',
  { skip },
  async () => {
    const progress: string[] = [];
    const opts: GoHostOptions = { tykGateway: gatewayCheckout, onProgress: (m) => progress.push(m) };
    const s = await openPlugin(buildGatewayPlugin(), opts);
    try {
      assert.match(progress.join('\n'), /inside a Go workspace with the Tyk gateway checkout/);
      const r = await s.call(input);
      assert.equal(r.outcome, 'continue', JSON.stringify(r));
      assert.deepEqual(r.request.headers, [
        ['X-Api', 'Orders API'],
        ['X-Org', 'org-7'],
        ['X-Tier', 'gold'],
        ['X-Token', 'key-123'],
      ]);
      const none = await s.call({ ...input, config: {} });
      assert.equal(none.outcome, 'reject');
      const bad = await s.call({ ...input, config: { tyk_session: 'not an object' } });
      assert.equal(bad.outcome, 'error');
      assert.match(bad.error ?? '', /^The fixture config does not fit the gateway's types/);
    } finally {
      await s.close();
    }
  },
);

test(
  'another gateway checkout than the plugin was built with: Go refuses it, the studio says why',
  { skip },
  async () => {
    // Same content at another path: without -trimpath the paths are part of the package hashes.
    const other = path.join(outDir, `gateway-copy-${process.pid}`);
    fs.rmSync(other, { recursive: true, force: true });
    fs.cpSync(gatewayCheckout, other, { recursive: true });
    try {
      const opts: GoHostOptions = { tykGateway: other };
      await assert.rejects(openPlugin(buildGatewayPlugin(), opts), (err: Error) => {
        assert.equal(err.name, 'PluginOpenError');
        assert.match(
          err.message,
          /built with a different version of (the Go )?package github\.com\/TykTechnologies\/tyk\//,
        );
        assert.doesNotMatch(err.message, /\n\s+at /);
        return true;
      });
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  },
);

test('a checkout that is not the Tyk gateway is refused with a sentence', { skip }, async () => {
  await assert.rejects(
    prepareGoHost(buildGatewayPlugin(), { tykGateway: sourceDir }),
    /PLUGIN_STUDIO_TYK_GATEWAY names .*go-tyk, whose module is example\.com\/tyk-test-plugin, not github\.com\/TykTechnologies\/tyk/,
  );
});
