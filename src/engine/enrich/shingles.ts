/**
 * Text to comparable sets: normalization, word shingles hashed to 32 bits, and their Jaccard distance.
 *
 * Posts are short (ten to thirty words), so shingles are single words and word pairs together: pairs keep
 * word order, single words keep a one-word edit from costing two of ten features. Hashes are 32-bit
 * (murmur3's finalizer over FNV-1a): collisions among a post's few dozen shingles are negligible, and
 * 32-bit integers keep everything in `Math.imul` and typed arrays, without BigInt or strings in the hot path.
 */
import type { RawSignal } from '../types.js';

const ENTITIES: Readonly<Record<string, string>> = {
  '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&apos;': "'", '&nbsp;': ' ',
};
const ENTITY_RE = /&(?:amp|lt|gt|quot|apos|nbsp|#39|#x27);/g;
const URL_RE = /(?:\bhttps?:\/\/|\bwww\.)\S+/gu;
/** @handle (X), u/name and /u/name (Reddit). */
const HANDLE_RE = /(^|[^\p{L}\p{N}_])(?:@|\/?u\/)[\p{L}\p{N}_.-]+/gu;
const NUMBER_RE = /\p{N}+(?:[.,]\p{N}+)*/gu;
const NON_WORD_RE = /[^\p{L}\p{N}_]+/gu;

/**
 * The words of a text as compared: entities decoded (Reddit escapes them), NFKC-folded (the "𝐁𝐎𝐋𝐃"
 * letters spammers use become plain ones), lower-cased, URLs, handles and numbers replaced by `_url_`,
 * `_user_` and `_num_`, punctuation and emoji dropped. A cashtag keeps its letters (`$AAPL` → `aapl`).
 */
export function normalizeText(text: string, maxTokens = Number.POSITIVE_INFINITY): string[] {
  const s = text
    .replace(ENTITY_RE, (e) => ENTITIES[e] ?? ' ')
    .normalize('NFKC')
    .toLowerCase()
    .replace(URL_RE, ' _url_ ')
    .replace(HANDLE_RE, '$1 _user_ ')
    .replace(NUMBER_RE, ' _num_ ')
    .replace(NON_WORD_RE, ' ');
  const out: string[] = [];
  for (const word of s.split(' ')) {
    if (word === '') continue;
    out.push(word);
    if (out.length >= maxTokens) break;
  }
  return out;
}

/** Body fields that carry a document's words, across the collectors (posts, comments, headlines, feeds). */
const TEXT_FIELDS = ['title', 'headline', 'text', 'body', 'selftext', 'summary', 'description', 'content'] as const;
/** Longer documents are cut before normalizing; `maxTokens` cuts again after. */
const MAX_CHARS = 8_000;

/** The text of a post or article, or null for other kinds and for bodies with no text. */
export function signalText(signal: RawSignal): string | null {
  if (signal.kind !== 'social_mention' && signal.kind !== 'news') return null;
  let text = '';
  for (const field of TEXT_FIELDS) {
    const v = signal.body[field];
    if (typeof v === 'string' && v !== '' && v !== '[removed]' && v !== '[deleted]') {
      text = text === '' ? v : `${text} ${v}`;
      if (text.length >= MAX_CHARS) return text.slice(0, MAX_CHARS);
    }
  }
  return text === '' ? null : text;
}

/** murmur3's 32-bit finalizer: a bijection with full avalanche. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units, finalized. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix32(h);
}

const UNIGRAM_SEED = 0x2545f491;
const BIGRAM_SEED = 0x9e3779b9;

let scratch = new Uint32Array(1024);

/**
 * The sorted, distinct 32-bit hashes of a text's single words and adjacent word pairs. The one array it
 * returns is the only allocation kept; the work happens in a reused buffer.
 */
export function shingleSet(words: readonly string[]): Uint32Array {
  const n = words.length;
  if (n === 0) return new Uint32Array(0);
  if (scratch.length < 2 * n) scratch = new Uint32Array(2 * n);
  let prev = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const h = hashString(words[i] as string);
    scratch[k++] = fmix32(h ^ UNIGRAM_SEED);
    if (i > 0) scratch[k++] = fmix32((Math.imul(prev, 0x01000193) ^ h ^ BIGRAM_SEED) >>> 0);
    prev = h;
  }
  const view = scratch.subarray(0, k);
  view.sort();
  let m = 0;
  for (let i = 0; i < k; i++) if (i === 0 || view[i] !== view[m - 1]) view[m++] = view[i] as number;
  return view.slice(0, m);
}

/** 1 − |a ∩ b| / |a ∪ b| over two sorted distinct sets; 0 when both are empty. */
export function jaccardDistance(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      common++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  const union = a.length + b.length - common;
  return union === 0 ? 0 : 1 - common / union;
}
