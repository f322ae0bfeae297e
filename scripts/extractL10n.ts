// Writes l10n/bundle.l10n.json: every runtime string of the extension (the first argument of vscode.l10n.t, and of
// `t` in host and grading modules that receive it), the file translators copy to bundle.l10n.<locale>.json. A test checks the
// committed bundle is current. Run: npm run l10n
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
export const L10N_BUNDLE = join(ROOT, 'l10n', 'bundle.l10n.json');

function files(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    return entry.isDirectory() ? files(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The messages, sorted, as the JSON text of the bundle (message → message). */
export function l10nBundleText(): string {
  const messages = new Set<string>();
  for (const file of [...files(join(ROOT, 'src', 'extension')), ...files(join(ROOT, 'src', 'grading'))]) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:\bl10n\.t|(?<![\w.])t)\(\s*'((?:[^'\\]|\\.)*)'/g)) messages.add(match[1].replace(/\\(.)/g, '$1'));
  }
  const sorted = [...messages].sort();
  return `${JSON.stringify(Object.fromEntries(sorted.map((m) => [m, m])), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(L10N_BUNDLE, l10nBundleText());
  console.log(`wrote ${L10N_BUNDLE}`);
}
