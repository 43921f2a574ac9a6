/**
 * Where each field of a JSON document sits in its text, by the path the server's validation errors name
 * (`caps.perInstrument`, `universe.instruments[2]`), so an error can be shown at its line. A small
 * recursive-descent scanner: `JSON.parse` says whether the text is valid but not where anything is.
 */

export interface Span {
  readonly start: number;
  readonly end: number;
}

export function jsonPathSpans(text: string): Map<string, Span> {
  const spans = new Map<string, Span>();
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const str = (): string => {
    const start = i;
    i++; // opening quote
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string, keyStart: number): void => {
    ws();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      while (i < text.length && text[i] !== '}') {
        ws();
        const memberStart = i;
        const key = str();
        ws();
        i++; // colon
        value(path ? `${path}.${key}` : key, memberStart);
        ws();
        if (text[i] === ',') i++;
        ws();
      }
      i++;
    } else if (c === '[') {
      i++;
      let index = 0;
      ws();
      while (i < text.length && text[i] !== ']') {
        ws();
        value(`${path}[${index++}]`, i);
        ws();
        if (text[i] === ',') i++;
        ws();
      }
      i++;
    } else if (c === '"') {
      str();
    } else {
      while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
    }
    spans.set(path, { start: Math.min(keyStart, start), end: i });
  };
  try {
    value('', 0);
  } catch {
    // A text JSON.parse refused: no spans, the caller shows the parse error instead.
  }
  return spans;
}

/** The span of `path`, else of its nearest ancestor the document has (a missing field's parent). */
export function locate(spans: ReadonlyMap<string, Span>, path: string | null | undefined): Span | undefined {
  let p = path ?? '';
  for (;;) {
    const span = spans.get(p);
    if (span) return span;
    if (p === '') return undefined;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    p = cut > 0 ? p.slice(0, cut) : '';
  }
}

export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let k = 0; k < offset && k < text.length; k++) if (text[k] === '\n') line++;
  return line;
}
