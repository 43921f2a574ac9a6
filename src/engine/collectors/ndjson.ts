/**
 * Newline-delimited streams (X's filtered stream, most NDJSON feeds): cutting bytes into lines as they arrive.
 */
import { DocumentError } from './document.js';

export interface NdjsonOptions {
  /** Hand out blank lines as '' (a source that counts keep-alives as heartbeats); default: drop them. */
  readonly keepBlankLines?: boolean;
}

/** Longest line the decoder holds before declaring the stream broken (a post with expansions is a few KB). */
const MAX_LINE_CHARS = 1 << 20;

/**
 * Cuts a byte stream into newline-delimited lines, whatever the chunk boundaries: a line (or a multi-byte
 * character) split across chunks is held until its end arrives. Blank lines (the stream's keep-alive
 * `\r\n`) are dropped unless asked for, `\r\n` endings trimmed. Written by hand because it is a dozen lines and must run on
 * `Uint8Array` chunks as they come, which Node's readline cannot be given directly.
 */
export class NdjsonDecoder {
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });
  #partial = '';
  /** Complete lines handed out so far, for error messages. */
  #lines = 0;

  constructor(
    private readonly origin: string,
    private readonly options: NdjsonOptions = {},
  ) {}

  /** The complete lines this chunk finishes, in order (blank ones only with `keepBlankLines`). */
  push(chunk: Uint8Array): string[] {
    let text: string;
    try {
      text = this.#decoder.decode(chunk, { stream: true });
    } catch (cause) {
      throw new DocumentError('DOCUMENT_ENCODING', 'stream bytes are not valid UTF-8', this.origin, `line ${this.#lines + 1}`, { cause });
    }
    const parts = (this.#partial + text).split('\n');
    this.#partial = parts.pop()!;
    if (this.#partial.length > MAX_LINE_CHARS) {
      throw new DocumentError('DOCUMENT_MALFORMED', `a line longer than ${MAX_LINE_CHARS} characters`, this.origin, `line ${this.#lines + 1}`);
    }
    const lines: string[] = [];
    for (const part of parts) {
      const line = part.endsWith('\r') ? part.slice(0, -1) : part;
      if (this.options.keepBlankLines || line.trim() !== '') lines.push(line);
    }
    this.#lines += lines.length;
    return lines;
  }

  /** What is left when the stream ends: a line cut off mid-way, or null. The decoder is reset. */
  end(): string | null {
    let rest = this.#partial;
    try {
      rest += this.#decoder.decode();
    } catch {
      // An incomplete multi-byte character at the cut: part of the cut-off line anyway.
    }
    this.#partial = '';
    return rest.trim() === '' ? null : rest;
  }
}

/**
 * The lines of a byte stream, as `NdjsonDecoder` cuts them (blank keep-alives dropped). A last line without its
 * newline is dropped: a stream cut mid-line delivered half a message.
 */
export async function* ndjsonLines(
  chunks: AsyncIterable<Uint8Array>,
  origin: string,
  options: NdjsonOptions = {},
): AsyncGenerator<string> {
  const decoder = new NdjsonDecoder(origin, options);
  for await (const chunk of chunks) yield* decoder.push(chunk);
}
