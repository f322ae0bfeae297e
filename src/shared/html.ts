// Shared layer (pure): escaping for the HTML pages we build (the dashboard webview, the CLI's report).

/** Escapes text for HTML content and quoted attribute values alike: & < > " ' become numeric references. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
