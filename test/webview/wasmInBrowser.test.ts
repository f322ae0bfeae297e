// Webview tests: the engine's WebAssembly kernels in a real headless Chromium — the same bytes Node runs, loaded from
// the same bundle a webview or a web page would use. Where a page's Content Security Policy forbids compiling
// WebAssembly (the dashboard's does: it never trains), the engine falls back to float64 TypeScript on its own.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM } from './dashboardPage';
import { runInPage, type PageResult } from './wasmPageEntry';

const root = join(__dirname, '..', '..');

interface Served {
  readonly origin: string;
  close(): Promise<void>;
}

/** Serves one page per CSP (and, for /isolated, the headers that make a page cross-origin isolated). */
async function serve(bundle: string): Promise<Served> {
  const page = (csp: string): string => `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="${csp}"></head>
<body><script nonce="test" src="/engine.js"></script></body></html>`;
  const pages: Record<string, { html: string; headers?: Record<string, string> }> = {
    // What a webview that runs the engine declares: its own scripts, and WebAssembly compilation.
    '/webview': { html: page("default-src 'none'; script-src 'nonce-test' 'wasm-unsafe-eval'") },
    // A web page that opts into cross-origin isolation (SharedArrayBuffer visible to its scripts too).
    '/isolated': { html: page("default-src 'none'; script-src 'nonce-test' 'wasm-unsafe-eval'"), headers: { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } },
    // The dashboard's policy: scripts by nonce only, so no WebAssembly.
    '/strict': { html: page("default-src 'none'; script-src 'nonce-test'") },
  };
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/engine.js') {
      response.writeHead(200, { 'content-type': 'text/javascript', 'cross-origin-resource-policy': 'same-origin' });
      response.end(readFileSync(bundle));
    } else if (pages[path]) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...pages[path].headers });
      response.end(pages[path].html);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no server address');
  return { origin: `http://127.0.0.1:${address.port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('WebAssembly kernels in a browser (headless Chromium)', function () {
  this.timeout(60_000);
  let directory: string;
  let served: Served;
  let browser: Browser;
  const inNode = runInPage();

  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'rnn-lab-wasm-page-'));
    const entry = join(directory, 'entry.ts');
    writeFileSync(entry, `import { runInPage } from ${JSON.stringify(join(root, 'test', 'webview', 'wasmPageEntry'))};\n(globalThis as any).__result = runInPage();\n`);
    await build({ entryPoints: [entry], outfile: join(directory, 'engine.js'), bundle: true, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'warning' });
    served = await serve(join(directory, 'engine.js'));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  });

  after(async () => {
    await browser?.close();
    await served?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  async function resultOf(path: string): Promise<PageResult> {
    const page = await browser.newPage();
    try {
      await page.goto(`${served.origin}${path}`);
      await page.waitForFunction('globalThis.__result !== undefined');
      return await page.evaluate('globalThis.__result') as PageResult;
    } finally {
      await page.close();
    }
  }

  it('Node runs them (the reference for the pages below)', () => {
    assert.equal(inNode.kernels, 'wasm-simd-float32');
    assert.ok(inNode.relativeDifference < 1e-4, `float32 vs float64 in Node: ${inNode.relativeDifference}`);
  });

  for (const path of ['/webview', '/isolated']) {
    it(`a page whose policy allows WebAssembly (${path.slice(1)}) runs them and gets Node's numbers exactly`, async () => {
      const result = await resultOf(path);
      assert.equal(result.kernels, 'wasm-simd-float32', `the page fell back: ${result.kernels}`);
      assert.deepEqual(result.fingerprint, inNode.fingerprint);
    });
  }

  it('a page that forbids compiling WebAssembly (the dashboard\'s policy) trains in float64 TypeScript instead', async () => {
    const result = await resultOf('/strict');
    assert.equal(result.kernels, 'typescript-float64');
    assert.equal(result.relativeDifference, 0);
  });
});
