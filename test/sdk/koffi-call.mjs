// Child process for test/sdk: loads a plugin with koffi and calls handlers, so that a crashing
// plugin takes down only this process. The real plugin host lives in src/runner; this is just
// enough to check the SDKs' and examples' outputs. The report goes to fd 3 because the plugins
// under test write to stdout themselves.
//
// stdin: {"library": "...", "calls": [{"symbol": "AddHeader", "envelope": {...}}]}
// fd 3: {"abi": 1, "manifest": "..." | null, "results": [{"status": 0, "output": "..." | null}]}
import fs from 'node:fs';
import koffi from 'koffi';

const MAX_REPORTED = 1 << 20;

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const job = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const lib = koffi.load(job.library);
const abiVersion = lib.func('uint32_t plugin_studio_abi_version(void)');
const release = lib.func('void plugin_studio_free(void *ptr)');
let manifest;
try {
  manifest = lib.func('const char *plugin_studio_manifest(void)')();
} catch {
  // Optional export: koffi throws when the symbol is missing.
  manifest = null;
}

const results = [];
for (const call of job.calls) {
  const handler = lib.func(
    `int32_t ${call.symbol}(const uint8_t *in, size_t in_len, _Out_ void **out, _Out_ size_t *out_len)`,
  );
  const input =
    call.rawBase64 !== undefined
      ? Buffer.from(call.rawBase64, 'base64')
      : Buffer.from(call.raw ?? JSON.stringify(call.envelope), 'utf8');
  const out = [null];
  const outLen = [0];
  const status = handler(input, input.length, out, outLen);
  let output = null;
  let utf8 = true;
  let length = 0;
  if (out[0] !== null) {
    // Copied before release: a view over the plugin's buffer would dangle after the free.
    const bytes = Buffer.from(new Uint8Array(koffi.view(out[0], Number(outLen[0]))));
    release(out[0]);
    length = bytes.length;
    // Big outputs (the 65 MiB crash plugin) are reported by length: the report stays small.
    output = bytes.subarray(0, MAX_REPORTED).toString('utf8');
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      utf8 = false;
    }
  }
  const result = { status, output };
  if (!utf8) result.utf8 = false;
  if (length > MAX_REPORTED) result.length = length;
  results.push(result);
}
fs.writeSync(3, JSON.stringify({ abi: abiVersion(), manifest, results }));
