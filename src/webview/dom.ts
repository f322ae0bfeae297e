// Webview layer: a tiny element builder. Text goes in as text nodes only — nothing here parses HTML, so a run label or
// sampled text can never become markup (the CSP forbids inline handlers anyway; this makes them impossible to write).

export interface ElementOptions {
  readonly className?: string;
  readonly text?: string;
  readonly attributes?: Readonly<Record<string, string>>;
}

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, options: ElementOptions = {}, children: readonly (Node | string)[] = []): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.text !== undefined) node.textContent = options.text;
  for (const [name, value] of Object.entries(options.attributes ?? {})) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

/** Replaces the options of a <select>, keeping the chosen value when it is still offered. */
export function setOptions(select: HTMLSelectElement, options: readonly { value: string; label: string }[], preferred?: string): void {
  const wanted = preferred ?? select.value;
  const current = Array.from(select.options, (o) => `${o.value}\u0000${o.textContent}`).join('\u0001');
  const next = options.map((o) => `${o.value}\u0000${o.label}`).join('\u0001');
  if (current !== next) select.replaceChildren(...options.map((o) => element('option', { text: o.label, attributes: { value: o.value } })));
  if (options.some((o) => o.value === wanted)) select.value = wanted;
}

let nextId = 0;
/** A page-unique id for label/aria-describedby links. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${++nextId}`;
}

/** A labelled control: `<label>text <control></label>` keeps the click target and the accessible name together. */
export function labelled(text: string, control: HTMLElement, className = 'control'): HTMLLabelElement {
  return element('label', { className }, [element('span', { text }), control]);
}
