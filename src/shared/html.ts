// Shared layer (pure): escaping and the Content Security Policy of the HTML pages we build (the dashboard webview,
// the CLI's report), so both pages are held to one policy.

/** Escapes text for HTML content and quoted attribute values alike: & < > " ' become numeric references. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/**
 * One source expression or several, separated by single spaces ("'self' https://*.vscode-cdn.net" in code-server):
 * keywords in quotes or host sources. Anything else (';', ',', a line break) could add a directive.
 */
const CSP_SOURCE = "(?:'[a-z-]+'|[A-Za-z0-9.:/*_+-]+)";
const CSP_SOURCE_LIST = new RegExp(`^${CSP_SOURCE}(?: ${CSP_SOURCE})*$`);

/**
 * The policy of every page we build: nothing by default (no network, no eval, no plugins, no forms, no base URL);
 * scripts only with the page's nonce; styles with the nonce; images as data: URLs. `ownSources` is where the page's own
 * files come from (a webview's `cspSource`), allowed for styles and images; a self-contained page passes none.
 * `nonce` must be fresh random base64 (at least 16 characters) for each page.
 */
export function contentSecurityPolicy(nonce: string, ownSources?: string): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) throw new RangeError('nonce must be at least 16 base64 characters');
  if (ownSources !== undefined && !CSP_SOURCE_LIST.test(ownSources)) throw new RangeError(`cspSource must be a list of CSP source expressions, got ${JSON.stringify(ownSources)}`);
  const own = ownSources !== undefined ? `${ownSources} ` : '';
  return [
    "default-src 'none'",
    `img-src ${own}data:`,
    `style-src ${own}'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
