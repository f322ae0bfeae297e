// The dashboard page's CSP accepts what real VS Code hosts pass as cspSource and nothing that adds a directive.
import assert from 'node:assert/strict';
import { dashboardHtml } from '../../src/shared/dashboardHtml';

const page = { nonce: 'c2VjcmV0LW5vbmNlLTEyMzQ1Ng', scriptUri: 'https://x/webview.js', styleUri: 'https://x/dashboard.css', title: 'RNN Lab Dashboard' };

describe('dashboard page CSP', () => {
  for (const cspSource of ["'self' https://*.vscode-cdn.net", 'https://file+.vscode-resource.vscode-cdn.net', 'vscode-webview-resource:']) {
    it(`accepts the cspSource VS Code gives: ${cspSource}`, () => {
      const html = dashboardHtml({ ...page, cspSource });
      const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)![1].replace(/&#39;/g, "'");
      assert.match(csp, /^default-src 'none'; /);
      assert.ok(csp.includes(`img-src ${cspSource} data:`) && csp.includes(`script-src 'nonce-${page.nonce}'`), csp);
    });
  }
  for (const cspSource of ["'self'; script-src *", 'a,b', 'a\nscript-src *', '', "'self'  https://x"]) {
    it(`refuses a cspSource that could add a directive: ${JSON.stringify(cspSource)}`, () => {
      assert.throws(() => dashboardHtml({ ...page, cspSource }), /cspSource must be a list of CSP source expressions/);
    });
  }
});
