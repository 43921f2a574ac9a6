/**
 * Templating by hand: `html` tagged templates escape every interpolated value unless it is itself a
 * template (or `raw`), so views build markup as strings without an injection hole. A framework would add
 * weight and a build dependency for what a few hundred lines of views need.
 */

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function part(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(part).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += part(values[i]) + (strings[i + 1] ?? '');
  return new Html(out);
}

/** Markup that is already safe (built by `html`, or a constant). */
export function raw(markup: string): Html {
  return new Html(markup);
}

/** Replaces the element's content when it changed (re-setting identical markup would reset focus and animations). */
export function render(target: Element, view: Html): void {
  if ((target as HTMLElement & { _vantaMarkup?: string })._vantaMarkup === view.value) return;
  (target as HTMLElement & { _vantaMarkup?: string })._vantaMarkup = view.value;
  target.innerHTML = view.value;
}

export function $<T extends Element = HTMLElement>(selector: string, root: ParentNode = document): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`dashboard: no element matches ${selector}`);
  return el;
}

/**
 * Calls `fn` at most once per animation frame however often it is asked: live feeds deliver bursts, the
 * screen needs one render per frame.
 */
export function perFrame(fn: () => void): () => void {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      fn();
    });
  };
}

/** Event delegation: one listener on `root` for every `[data-action=name]` inside it. */
export function on<K extends keyof HTMLElementEventMap>(
  root: Element,
  type: K,
  action: string,
  handler: (target: HTMLElement, event: HTMLElementEventMap[K]) => void,
): void {
  root.addEventListener(type, (event) => {
    const target = (event.target as Element | null)?.closest<HTMLElement>(`[data-action="${action}"]`);
    if (target && root.contains(target)) handler(target, event as HTMLElementEventMap[K]);
  });
}

/** Whether the element's view is the one on screen (hidden views skip their renders until shown). */
export function onScreen(el: Element): boolean {
  const view = el.closest<HTMLElement>('.view');
  return !view || !view.hidden;
}
