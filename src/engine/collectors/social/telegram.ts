/**
 * Telegram through the Bot API, as `social_mention` signals: the messages of the groups and channels the
 * bot has been added to, read with `getUpdates` (long polling's short form: one call per poll).
 *
 * `getUpdates?offset=N` both returns updates from N on and confirms (deletes on Telegram's side) every
 * update before N. The cursor stores the last `update_id` + 1, and the collector saves it only after the
 * drafts are published, so the confirmation reaches Telegram on the poll after that: a crash in between
 * re-reads the same updates instead of losing them.
 *
 * Both `message` (groups) and `channel_post` (channels) are read, text and media captions alike; the
 * platform's own `cashtag` entities count as mentions along with what the text itself names.
 * The bot token sits in the URL path, so every document origin is redacted before it can reach a log.
 */
import { DocumentError, type SourceDocument } from '../document.js';
import { redactUrl } from '../http.js';
import type { PollContext, PollingSource, PollResult, RejectedDocument, SignalDraft } from '../source.js';
import { compact, fetchDocument, mentionDrafts } from './common.js';
import { JsonReader, parseJsonDocument } from './json.js';
import { MentionIndex } from './mentions.js';

export interface TelegramMessage {
  readonly updateId: number;
  /** `message` or `channel_post`. */
  readonly updateType: 'message' | 'channel_post';
  readonly messageId: number;
  readonly chatId: number;
  readonly chatType: string;
  readonly chatTitle: string | null;
  readonly chatUsername: string | null;
  /** The sender's username, else the channel post's signature, else null. */
  readonly author: string | null;
  readonly authorId: number | null;
  readonly authorIsBot: boolean;
  readonly dateMs: number;
  /** The text, or the media caption. */
  readonly text: string;
  /** The `$TICKER` strings Telegram marked as `cashtag` entities. */
  readonly cashtags: readonly string[];
  readonly forwarded: boolean;
}

export interface TelegramUpdates {
  /** Every update id in the answer, including those of kinds not read (they still move the offset). */
  readonly updateIds: readonly number[];
  readonly messages: readonly TelegramMessage[];
  /**
   * Updates whose message could not be read, each as its own document (the update's JSON), so that one
   * odd message is dead-lettered and skipped instead of blocking every update after it.
   */
  readonly invalid: readonly { readonly updateId: number; readonly document: SourceDocument; readonly error: DocumentError }[];
}

function parseMessage(updateId: number, updateType: 'message' | 'channel_post', m: JsonReader): TelegramMessage {
  const chat = m.get('chat');
  const from = m.get('from');
  const hasText = m.has('text');
  const text = hasText ? m.get('text').string() : (m.get('caption').optString() ?? '');
  const entities = m.get(hasText ? 'entities' : 'caption_entities').optArray();
  const cashtags: string[] = [];
  for (const e of entities) {
    if (e.get('type').string() !== 'cashtag') continue;
    const offset = e.get('offset').number();
    const length = e.get('length').number();
    // Offsets and lengths are in UTF-16 code units, which is what JavaScript strings index by.
    if (offset < 0 || offset + length > text.length) e.fail(`entity [${offset}, ${offset + length}) outside a text of ${text.length}`);
    cashtags.push(text.slice(offset, offset + length));
  }
  return {
    updateId,
    updateType,
    messageId: m.get('message_id').number(),
    chatId: chat.get('id').number(),
    chatType: chat.get('type').string(),
    chatTitle: chat.get('title').optString(),
    chatUsername: chat.get('username').optString(),
    author: (from.value != null ? from.get('username').optString() : null) ?? m.get('author_signature').optString(),
    authorId: from.value != null ? from.get('id').number() : null,
    authorIsBot: from.value != null && from.get('is_bot').value === true,
    dateMs: m.get('date').number() * 1000,
    text,
    cashtags,
    forwarded: m.has('forward_origin') || m.has('forward_date'),
  };
}

/** `getUpdates`: `{ ok: true, result: [Update] }`, or `{ ok: false, error_code, description }`. */
export function parseUpdates(document: SourceDocument): TelegramUpdates {
  const json = parseJsonDocument(document);
  const root = JsonReader.of(json, document.origin);
  if (Array.isArray(json)) throw new DocumentError('DOCUMENT_FORMAT', 'an array where a Bot API answer was expected', document.origin, '$');
  const ok = root.get('ok');
  if (ok.value === false) {
    throw new DocumentError('DOCUMENT_FORMAT', `Bot API error ${String(root.get('error_code').value)}: ${String(root.get('description').value)}`, document.origin, '$.ok');
  }
  ok.boolean();
  const updateIds: number[] = [];
  const messages: TelegramMessage[] = [];
  const invalid: { updateId: number; document: SourceDocument; error: DocumentError }[] = [];
  for (const u of root.get('result').array()) {
    const id = u.get('update_id').number();
    updateIds.push(id);
    for (const type of ['message', 'channel_post'] as const) {
      if (!u.has(type)) continue;
      try {
        messages.push(parseMessage(id, type, u.get(type)));
      } catch (error) {
        if (!(error instanceof DocumentError)) throw error;
        const body = new TextEncoder().encode(JSON.stringify(u.value));
        invalid.push({ updateId: id, document: { origin: `${document.origin}#update_id=${id}`, body, contentType: 'application/json' }, error });
      }
    }
  }
  return { updateIds, messages, invalid };
}

export interface TelegramSourceOptions {
  /** The bot's token from @BotFather. */
  readonly botToken: string;
  readonly symbols: readonly string[] | MentionIndex;
  /** Defaults to `telegram`. */
  readonly name?: string;
  /** The signals' `source`. Defaults to the name. */
  readonly source?: string;
  /** Defaults to 30 s. */
  readonly intervalMs?: number;
  /** Defaults to `https://api.telegram.org`. */
  readonly baseUrl?: string;
  /** Updates per call, 1..100. Defaults to 100. */
  readonly limit?: number;
  /** Calls per poll while full pages keep coming. Defaults to 5. */
  readonly maxPages?: number;
  readonly excerptChars?: number;
}

export interface TelegramCursor {
  readonly v: 1;
  /** The next `offset`: the last update id read + 1. */
  readonly offset: number | null;
}

export class TelegramSource implements PollingSource<TelegramCursor> {
  readonly name: string;
  readonly intervalMs: number;
  readonly #source: string;
  readonly #index: MentionIndex;
  readonly #baseUrl: string;
  readonly #limit: number;

  constructor(private readonly options: TelegramSourceOptions) {
    if (!/^\d+:[A-Za-z0-9_-]+$/.test(options.botToken)) throw new Error('telegram: the bot token must look like 123456:ABC-...');
    this.name = options.name ?? 'telegram';
    this.#source = options.source ?? this.name;
    this.intervalMs = options.intervalMs ?? 30_000;
    this.#index = options.symbols instanceof MentionIndex ? options.symbols : new MentionIndex(options.symbols);
    this.#baseUrl = (options.baseUrl ?? 'https://api.telegram.org').replace(/\/+$/, '');
    this.#limit = Math.min(100, Math.max(1, options.limit ?? 100));
  }

  parseCursor(stored: string): TelegramCursor | null {
    try {
      const c = JSON.parse(stored) as Partial<TelegramCursor>;
      return c.v === 1 && (c.offset === null || Number.isSafeInteger(c.offset)) ? (c as TelegramCursor) : null;
    } catch {
      return null;
    }
  }

  async poll(ctx: PollContext<TelegramCursor>): Promise<PollResult<TelegramCursor>> {
    let offset = ctx.cursor?.offset ?? null;
    const drafts: SignalDraft[] = [];
    const rejected: RejectedDocument[] = [];
    for (let page = 0; page < (this.options.maxPages ?? 5); page++) {
      const query = new URLSearchParams({
        limit: String(this.#limit),
        timeout: '0',
        allowed_updates: JSON.stringify(['message', 'channel_post']),
        ...(offset !== null ? { offset: String(offset) } : {}),
      });
      const url = `${this.#baseUrl}/bot${this.options.botToken}/getUpdates?${query}`;
      const got = await fetchDocument(ctx.http, { url, signal: ctx.signal }, redactUrl(url, [this.options.botToken]));
      if ('rejected' in got) {
        rejected.push(got.rejected);
        break;
      }
      let updates: TelegramUpdates;
      try {
        updates = parseUpdates(got.document);
      } catch (error) {
        // Updates that cannot be read cannot be skipped past either (their ids are unknown); the next
        // poll asks again, and the dead letter keeps the bytes.
        rejected.push({ document: got.document, error });
        break;
      }
      for (const m of updates.messages) drafts.push(...this.#drafts(m));
      for (const bad of updates.invalid) rejected.push({ document: bad.document, error: bad.error });
      if (updates.updateIds.length > 0) offset = Math.max(...updates.updateIds) + 1;
      if (updates.updateIds.length < this.#limit) break;
    }
    return { drafts, rejected, cursor: { v: 1, offset } };
  }

  #drafts(m: TelegramMessage): SignalDraft[] {
    const tagged = m.cashtags.map((t) => this.#index.resolve(t.replace(/^\$/, ''))).filter((s): s is string => s !== null);
    const fields = compact({
      platform: 'telegram',
      author: m.author ?? m.chatTitle ?? undefined,
      authorId: m.authorId,
      authorIsBot: m.authorIsBot || undefined,
      chat: m.chatTitle ?? m.chatUsername,
      chatId: m.chatId,
      chatType: m.chatType,
      messageId: m.messageId,
      forwarded: m.forwarded || undefined,
      url: m.chatUsername ? `https://t.me/${m.chatUsername}/${m.messageId}` : undefined,
    });
    const post = { id: `telegram:${m.chatId}:${m.messageId}`, tsEvent: m.dateMs, text: m.text, tagged, fields };
    return mentionDrafts(this.#source, post, this.#index, this.options.excerptChars ?? 500);
  }
}
