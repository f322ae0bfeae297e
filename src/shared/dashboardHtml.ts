// Shared layer (pure): the training dashboard's HTML page with its Content Security Policy. The extension's panel
// and the headless-browser test both build the page here, so the test runs under exactly the CSP users get.
import { contentSecurityPolicy, escapeHtml } from './html';

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
 * The page: under the one policy of our pages (src/shared/html.ts), with the stylesheet and the bundle from our own
 * folders; an empty `<main>` the bundle fills. Nothing from a run appears in the markup — run labels and sampled text
 * reach the page later as data and are only ever set as text.
 */
export function dashboardHtml(page: DashboardPage): string {
  const csp = contentSecurityPolicy(page.nonce, page.cspSource);
  const nonce = page.nonce;
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
