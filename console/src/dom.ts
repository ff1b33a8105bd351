/** Attributes {@link h} sets: strings and numbers as attributes, `on*` functions as listeners, `false`/`undefined` skipped. */
export type Attrs = Readonly<Record<string, string | number | boolean | undefined | ((e: Event) => void)>>;

/** A child {@link h} appends: nodes as they are, strings as text. */
export type Child = Node | string | null | undefined | false;

/**
 * Creates an element: `h('button', { class: 'run', onclick: run }, 'Run')`.
 * The console's one way of making DOM, so no markup is ever built from strings
 * (nothing a server returns is parsed as HTML).
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/** Appends children (skipping empty ones) to `el`. */
export function append(el: Node, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

/** Replaces all of `el`'s children. */
export function replace(el: Node, ...children: Child[]): void {
  while (el.firstChild) el.removeChild(el.firstChild);
  append(el, children);
}
