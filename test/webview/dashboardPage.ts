// Test support: the dashboard in a real headless Chromium under its real CSP. The page is dashboardHtml()'s output,
// served over http on 127.0.0.1 with a nonce'd stub of `acquireVsCodeApi` placed right before the bundle (as VS Code
// provides it), the theme's --vscode-* variables set from that stub, and every posted message recorded. The server,
// the browser and the page helper underneath (PageServer, launchChromium, BrowserPage) serve the renderer test too.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { dashboardHtml } from '../../src/shared/dashboardHtml';
import type { ToPanel } from '../../src/shared/protocol';
import type { VsCodeTheme } from './vscodeThemes';

export const CHROMIUM = '/usr/bin/chromium';
const root = join(__dirname, '..', '..');

/** Bundles src/webview/main.ts the way scripts/build.mjs does (IIFE, browser, chart.js inside) into `outdir`. */
export async function buildWebview(outdir: string): Promise<string> {
  const outfile = join(outdir, 'webview.js');
  await build({
    absWorkingDir: root, entryPoints: ['src/webview/main.ts'], outfile, bundle: true, platform: 'browser', format: 'iife',
    target: 'es2022', sourcemap: false, logLevel: 'warning',
  });
  return outfile;
}

/**
 * An http server on 127.0.0.1 for one browser test: the pages it was given (each at its own path) and a few files, read
 * when asked; 204 for the favicon a browser asks for (a VS Code webview never does), 404 for anything else.
 */
export class PageServer {
  private readonly pages = new Map<string, string>();
  private constructor(private readonly server: Server, readonly origin: string) {}

  static async start(files: Readonly<Record<string, { readonly path: string; readonly type: string }>>): Promise<PageServer> {
    let instance: PageServer | undefined;
    const server = createServer((request, response) => {
      const path = (request.url ?? '/').split('?')[0];
      const page = instance?.pages.get(path);
      const file = files[path];
      if (page !== undefined) {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
      } else if (file && existsSync(file.path)) {
        response.writeHead(200, { 'content-type': `${file.type}; charset=utf-8` }).end(readFileSync(file.path));
      } else {
        response.writeHead(path === '/favicon.ico' ? 204 : 404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (typeof address !== 'object' || address === null) throw new Error('no server address');
    instance = new PageServer(server, `http://127.0.0.1:${address.port}`);
    return instance;
  }

  /** Serves `html` at a path of its own; returns its URL. */
  addPage(html: string): string {
    const path = `/page-${this.pages.size + 1}.html`;
    this.pages.set(path, html);
    return `${this.origin}${path}`;
  }

  close(): Promise<void> {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export class DashboardServer {
  private constructor(private readonly server: PageServer, private readonly directory: string) {}

  get origin(): string {
    return this.server.origin;
  }

  static async start(): Promise<DashboardServer> {
    const directory = mkdtempSync(join(tmpdir(), 'rnn-lab-dashboard-'));
    await buildWebview(directory);
    const server = await PageServer.start({
      '/webview.js': { path: join(directory, 'webview.js'), type: 'text/javascript' },
      '/dashboard.css': { path: join(root, 'media', 'dashboard.css'), type: 'text/css' },
    });
    return new DashboardServer(server, directory);
  }

  /** A fresh page (fresh nonce) with the stub and the theme; returns its URL. */
  addPage(theme: VsCodeTheme): string {
    const nonce = randomBytes(18).toString('base64');
    const scriptUri = `${this.origin}/webview.js`;
    const html = dashboardHtml({ cspSource: this.origin, nonce, scriptUri, styleUri: `${this.origin}/dashboard.css`, title: 'RNN Lab training' });
    const bundleTag = `<script nonce="${nonce}" src="${scriptUri}"></script>`;
    if (!html.includes(bundleTag)) throw new Error('dashboardHtml no longer loads the bundle with a nonce');
    const stub = `<script nonce="${nonce}">${stubScript(theme)}</script>\n`;
    return this.server.addPage(html.replace(bundleTag, stub + bundleTag));
  }

  async close(): Promise<void> {
    await this.server.close();
    rmSync(this.directory, { recursive: true, force: true });
  }
}

/** What VS Code would provide, recorded for the test: acquireVsCodeApi, the theme, CSP violation events. */
function stubScript(theme: VsCodeTheme): string {
  return `(function () {
  var record = { posted: [], violations: [], state: undefined };
  document.addEventListener('securitypolicyviolation', function (e) { record.violations.push(e.violatedDirective + ' ' + e.blockedURI); });
  var acquired = false;
  window.acquireVsCodeApi = function () {
    if (acquired) throw new Error('acquireVsCodeApi called twice');
    acquired = true;
    return {
      postMessage: function (m) { record.posted.push(JSON.parse(JSON.stringify(m))); },
      getState: function () { return record.state; },
      setState: function (s) { record.state = s; },
    };
  };
  record.setTheme = function (theme) {
    var style = document.documentElement.style;
    Object.keys(theme.variables).forEach(function (name) { style.setProperty(name, theme.variables[name]); });
    document.body.classList.remove('vscode-dark', 'vscode-light', 'vscode-high-contrast');
    document.body.classList.add(theme.bodyClass);
  };
  window.__rnnLabTest = record;
  record.setTheme(${JSON.stringify(theme)});
})();`;
}

/** Debian's headless Chromium, as every browser test here starts it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

export class DashboardBrowser {
  private constructor(readonly browser: Browser) {}

  static async launch(): Promise<DashboardBrowser> {
    return new DashboardBrowser(await launchChromium());
  }

  async open(server: DashboardServer, theme: VsCodeTheme, viewport = { width: 1280, height: 900 }): Promise<DashboardPage> {
    const page = await this.browser.newPage({ viewport, deviceScaleFactor: 1 });
    const dashboard = new DashboardPage(page);
    await page.goto(server.addPage(theme));
    await dashboard.waitFor('document.querySelector("#dashboard[data-frames]") !== null');
    return dashboard;
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}

/** A page under a strict CSP, with its console errors recorded: what the dashboard and the renderer tests share. */
export class BrowserPage {
  /** Console errors and uncaught exceptions, CSP reports included ("Refused to …"). */
  readonly errors: string[] = [];

  constructor(readonly page: Page) {
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(message.text());
    });
    page.on('pageerror', (error) => this.errors.push(`uncaught: ${error.message}`));
  }

  evaluate<T>(expression: string): Promise<T> {
    return this.page.evaluate(expression) as Promise<T>;
  }

  /**
   * Polls `expression` until it is truthy. Not Playwright's waitForFunction: that evaluates strings with eval inside
   * the page, which the page's CSP rightly refuses (and reports as a violation).
   */
  async waitFor(expression: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await this.evaluate<boolean>(expression))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

export class DashboardPage extends BrowserPage {
  /**
   * Posts a host message the way VS Code delivers it (a 'message' event on window, dispatched in a later task), waits
   * until the dashboard has taken it (applied or ignored), then for the next animation frame, in which it draws.
   */
  async send(message: ToPanel | unknown): Promise<void> {
    const handled = "(() => { const d = document.getElementById('dashboard').dataset; return Number(d.messages ?? 0) + Number(d.ignored ?? 0); })()";
    const before = await this.evaluate<number>(handled);
    await this.page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`);
    await this.waitFor(`${handled} > ${before}`);
    await this.nextFrame();
  }

  /** Resolves after the next animation frame: a frame the dashboard requested before this call has been drawn. */
  nextFrame(): Promise<void> {
    return this.evaluate<void>('new Promise((resolve) => requestAnimationFrame(() => resolve()))');
  }

  frames(): Promise<number> {
    return this.evaluate<number>("Number(document.getElementById('dashboard').dataset.frames)");
  }

  posted(): Promise<unknown[]> {
    return this.evaluate<unknown[]>('window.__rnnLabTest.posted');
  }

  cspViolations(): Promise<string[]> {
    return this.evaluate<string[]>('window.__rnnLabTest.violations');
  }

  async setTheme(theme: VsCodeTheme): Promise<void> {
    const frames = await this.frames();
    await this.page.evaluate(`window.__rnnLabTest.setTheme(${JSON.stringify(theme)})`);
    await this.waitFor(`Number(document.getElementById('dashboard').dataset.frames) > ${frames}`);
    await this.nextFrame();
  }
}
