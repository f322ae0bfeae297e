// Shared layer (pure): the training dashboard's HTML page with its Content Security Policy. The extension's panel
// and the headless-browser test both build the page here, so the test runs under exactly the CSP users get.
import { escapeHtml } from './html';

export interface DashboardPage {
  /** `webview.cspSource`: the origin the webview's own resources (script, CSS) are served from. */
  readonly cspSource: string;
  /** A fresh random nonce per page (base64 from `crypto`), the only way a script may run. */
  readonly nonce: string;
  /** `webview.asWebviewUri(dist/webview.js)`, as a string. */
  readonly scriptUri: string;
  /** `webview.asWebviewUri(media/dashboard.css)`, as a string. */
  readonly styleUri: string;
  readonly title: string;
}

/**
 * The page: a CSP that allows no inline script or style without the nonce, no network, no eval; the stylesheet and
 * the bundle from our own folders; an empty `<main>` the bundle fills. Nothing from a run appears in the markup —
 * run labels and sampled text reach the page later as data and are only ever set as text.
 */
const CSP_SOURCE = "(?:'[a-z-]+'|[A-Za-z0-9.:/*_+-]+)";
const CSP_SOURCE_LIST = new RegExp(`^${CSP_SOURCE}(?: ${CSP_SOURCE})*$`);

export function dashboardHtml(page: DashboardPage): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(page.nonce)) throw new RangeError('nonce must be at least 16 base64 characters');
  // VS Code gives one or more source expressions ("'self' https://*.vscode-cdn.net" in code-server): keywords in
  // quotes or host sources, separated by single spaces. Anything else (';', ',', a line break) could add a directive.
  if (!CSP_SOURCE_LIST.test(page.cspSource)) throw new RangeError(`cspSource must be a list of CSP source expressions, got ${JSON.stringify(page.cspSource)}`);
  const nonce = page.nonce;
  const csp = [
    "default-src 'none'",
    `img-src ${page.cspSource} data:`,
    `style-src ${page.cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${escapeHtml(page.styleUri)}">
<title>${escapeHtml(page.title)}</title>
</head>
<body>
<main id="dashboard" aria-busy="true">
<p class="loading">Waiting for training data…</p>
</main>
<script nonce="${nonce}" src="${escapeHtml(page.scriptUri)}"></script>
</body>
</html>
`;
}
