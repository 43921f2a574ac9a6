/**
 * What the parser benchmark parses: each pure parser of `src/engine/collectors/`, called the way its
 * tests call it, on every real document of its format in `test/fixtures/` (read into memory here, before
 * any timing). Where the fixtures hold no recorded document of a format (EDGAR filing index pages, X,
 * Telegram, Alpaca, Tradier), a document is built here in the shape the parser's tests use, and marked
 * synthetic. The signal mappings (sec/signals.ts, chain/transfers.ts) are timed on already parsed documents.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { SourceDocument } from '../../src/engine/collectors/document.js';
import { parseFredObservations } from '../../src/engine/collectors/macro/fred-parse.js';
import { parseAlpacaBars, parseAlpacaTrades } from '../../src/engine/collectors/market/alpaca-parse.js';
import { parseDecimal } from '../../src/engine/collectors/market/decimal.js';
import { parseTradierChain } from '../../src/engine/collectors/market/tradier-parse.js';
import { parseFeed } from '../../src/engine/collectors/news/feed-parse.js';
import { parseBlock, parseLogs, type Block, type Log } from '../../src/engine/collectors/chain/parse.js';
import { readRpcResponse } from '../../src/engine/collectors/chain/rpc.js';
import { logDraft, nativeTransferDraft, toUnits, type TransferRules } from '../../src/engine/collectors/chain/transfers.js';
import { parseEdgarFeed } from '../../src/engine/collectors/sec/atom.js';
import { parseFilingIndex } from '../../src/engine/collectors/sec/filing-index.js';
import { parseOwnershipDocument } from '../../src/engine/collectors/sec/ownership.js';
import { parseSubmission } from '../../src/engine/collectors/sec/sgml.js';
import { feedFilingDraft, ownershipDrafts, thirteenFDrafts } from '../../src/engine/collectors/sec/signals.js';
import {
  parseInformationTable,
  parseThirteenFCover,
  parseThirteenFSubmission,
  type ThirteenFFiling,
} from '../../src/engine/collectors/sec/thirteen-f.js';
import { parseComments, parseListing, parseMoreChildren } from '../../src/engine/collectors/social/reddit-parse.js';
import { parseUpdates } from '../../src/engine/collectors/social/telegram.js';
import { channelPost, groupPhoto, updates } from '../../src/engine/collectors/social/telegram.fixtures.js';
import { parseSearchPage, parseStreamLine } from '../../src/engine/collectors/social/x-parse.js';
import { xSearchPage, xStreamLine, type XPostSpec, type XUserSpec } from '../../src/engine/collectors/social/x.fixtures.js';
import { isSocialPost, simulatedEvents } from './streams.js';

export interface BenchDocument {
  /** The fixture's file name, or what a synthetic document is. */
  readonly name: string;
  /** Size of the document's bytes (for a mapping: of the document it was parsed from). */
  readonly bytes: number;
  readonly synthetic: boolean;
  /** Parses (or maps) the document once and returns how many records that gave. */
  readonly run: () => number;
}

export interface ParserCase {
  /** The module under `src/engine/collectors/`. */
  readonly module: string;
  /** What is called, as written in the module. */
  readonly call: string;
  /** What a record is (filings, rows, items, …). */
  readonly records: string;
  /** `parse`: bytes in memory to typed records; `map`: parsed records to signal drafts. */
  readonly kind: 'parse' | 'map';
  readonly documents: readonly BenchDocument[];
}

const FIXTURES = new URL('../../test/fixtures/', import.meta.url);
const fixtureNames = (dir: string): string[] => readdirSync(new URL(`${dir}/`, FIXTURES)).sort();
const fixtureBytes = (dir: string, name: string): Buffer => readFileSync(new URL(`${dir}/${name}`, FIXTURES));

function sourceDocument(origin: string, body: Uint8Array, contentType: string | null = null): SourceDocument {
  return { origin, body, contentType };
}

/** Every file of a fixture folder (optionally filtered) as a document for `parse`. */
function fixtureDocuments(dir: string, parse: (doc: SourceDocument) => number, accept: (name: string) => boolean = () => true): BenchDocument[] {
  return fixtureNames(dir)
    .filter(accept)
    .map((name) => fixtureDocument(dir, name, parse));
}

function fixtureDocument(dir: string, name: string, parse: (doc: SourceDocument) => number, contentType: string | null = null): BenchDocument {
  const doc = sourceDocument(`fixture:${dir}/${name}`, fixtureBytes(dir, name), contentType);
  return { name, bytes: doc.body.length, synthetic: false, run: () => parse(doc) };
}

function syntheticDocument(name: string, text: string, parse: (doc: SourceDocument) => number): BenchDocument {
  const doc = sourceDocument(`synthetic:${name}`, Buffer.from(text, 'utf8'), 'application/json; charset=utf-8');
  return { name, bytes: doc.body.length, synthetic: true, run: () => parse(doc) };
}

// ---------------------------------------------------------------------------------------------- SEC

const SEC = {
  feeds: 'sec_current_feed',
  form4: 'sec_form4',
  thirteenF: 'sec_13f',
  tables: ['edgar_client_form13_table.xml', 'edgartools_13F-HR.infotable.xml', 'edgar_client_doc13f_table_sec_official_sample.xml'],
  cover: 'edgar_client_form13_primary_doc.xml',
  submission: 'edgartools_13F.0001894188-23-000007.txt',
} as const;

function secCases(): ParserCase[] {
  const feed = (doc: SourceDocument) => parseEdgarFeed(doc).filings.length;
  const ownership = (doc: SourceDocument) => {
    const d = parseOwnershipDocument(doc);
    return d.transactions.length + d.holdings.length;
  };
  const table = (doc: SourceDocument) => parseInformationTable(doc, { valueUnit: 'dollars' }).holdings.length;

  // The mappings start from parsed documents, parsed here once.
  const feeds = fixtureNames(SEC.feeds).map((name) => ({ name, bytes: fixtureBytes(SEC.feeds, name), feed: parseEdgarFeed(sourceDocument(name, fixtureBytes(SEC.feeds, name))) }));
  const forms = fixtureNames(SEC.form4).map((name, i) => ({
    name,
    bytes: fixtureBytes(SEC.form4, name),
    doc: parseOwnershipDocument(sourceDocument(name, fixtureBytes(SEC.form4, name))),
    accession: `0000000000-22-${String(i + 1).padStart(6, '0')}`,
  }));
  const berkshire: ThirteenFFiling = {
    accessionNumber: '0000950123-23-005270',
    acceptedAt: null,
    filedDate: '2023-05-15',
    cover: parseThirteenFCover(sourceDocument(SEC.cover, fixtureBytes(SEC.thirteenF, SEC.cover))),
    table: parseInformationTable(sourceDocument(SEC.tables[0], fixtureBytes(SEC.thirteenF, SEC.tables[0])), { filedDate: '2023-05-15' }),
  };
  const lts = parseThirteenFSubmission(sourceDocument(SEC.submission, fixtureBytes(SEC.thirteenF, SEC.submission)));

  return [
    { module: 'sec/atom.ts', call: 'parseEdgarFeed', records: 'filings', kind: 'parse', documents: fixtureDocuments(SEC.feeds, feed) },
    { module: 'sec/ownership.ts', call: 'parseOwnershipDocument', records: 'rows', kind: 'parse', documents: fixtureDocuments(SEC.form4, ownership) },
    {
      module: 'sec/thirteen-f.ts',
      call: 'parseInformationTable',
      records: 'holdings',
      kind: 'parse',
      documents: SEC.tables.map((name) => fixtureDocument(SEC.thirteenF, name, table)),
    },
    {
      module: 'sec/thirteen-f.ts',
      call: 'parseThirteenFCover',
      records: 'managers',
      kind: 'parse',
      documents: [fixtureDocument(SEC.thirteenF, SEC.cover, (doc) => parseThirteenFCover(doc).otherManagers.length)],
    },
    {
      module: 'sec/sgml.ts',
      call: 'parseSubmission',
      records: 'documents',
      kind: 'parse',
      documents: [fixtureDocument(SEC.thirteenF, SEC.submission, (doc) => parseSubmission(doc).documents.length)],
    },
    {
      module: 'sec/thirteen-f.ts',
      call: 'parseThirteenFSubmission',
      records: 'holdings',
      kind: 'parse',
      documents: [fixtureDocument(SEC.thirteenF, SEC.submission, (doc) => parseThirteenFSubmission(doc).table?.holdings.length ?? 0)],
    },
    {
      module: 'sec/filing-index.ts',
      call: 'parseFilingIndex',
      records: 'documents',
      kind: 'parse',
      documents: [filingIndexPage()],
    },
    {
      module: 'sec/signals.ts',
      call: 'feedFilingDraft',
      records: 'drafts',
      kind: 'map',
      documents: feeds.map(({ name, bytes, feed }) => ({
        name,
        bytes: bytes.length,
        synthetic: false,
        run: () => feed.filings.map((f) => feedFilingDraft(f, 'sec-edgar')).length,
      })),
    },
    {
      module: 'sec/signals.ts',
      call: 'ownershipDrafts',
      records: 'drafts',
      kind: 'map',
      documents: forms.map(({ name, bytes, doc, accession }) => ({
        name,
        bytes: bytes.length,
        synthetic: false,
        run: () => ownershipDrafts(doc, { source: 'sec-edgar', accessionNumber: accession, acceptedAt: null, filedDate: '2023-01-03' }).length,
      })),
    },
    {
      module: 'sec/signals.ts',
      call: 'thirteenFDrafts',
      records: 'drafts',
      kind: 'map',
      documents: [
        { name: `${SEC.tables[0]} + ${SEC.cover}`, bytes: fixtureBytes(SEC.thirteenF, SEC.tables[0]).length + fixtureBytes(SEC.thirteenF, SEC.cover).length, synthetic: false, run: () => thirteenFDrafts(berkshire, 'sec-edgar').length },
        { name: SEC.submission, bytes: fixtureBytes(SEC.thirteenF, SEC.submission).length, synthetic: false, run: () => thirteenFDrafts(lts, 'sec-edgar').length },
      ],
    },
  ];
}

/** An EDGAR `…-index.htm` page for a Form 4, laid out as the parser's tests lay it out (the parts it reads). */
function filingIndexPage(): BenchDocument {
  const folder = '/Archives/edgar/data/1673421/000106299323014799';
  const rows: [string, string, string, string][] = [
    ['1', 'FORM 4', `${folder}/xslF345X05/wk-form4_1689092934.xml`, '4'],
    ['1', 'FORM 4', `${folder}/wk-form4_1689092934.xml`, '4'],
    ['2', 'POWER OF ATTORNEY', `${folder}/poa.htm`, 'EX-24'],
    ['&nbsp;', 'Complete submission text file', `${folder}/0001062993-23-014799.txt`, '&nbsp;'],
  ];
  const tr = rows
    .map(
      ([seq, description, href, type], i) => `<tr${i % 2 ? ' class="blueRow"' : ''}>
         <td scope="row">${seq}</td>
         <td scope="row">${description}</td>
         <td scope="row"><a href="${href}">${href.slice(href.lastIndexOf('/') + 1)}</a></td>
         <td scope="row">${type}</td>
         <td scope="row">4321</td>
       </tr>`,
    )
    .join('\n');
  const html = `<!DOCTYPE html><html><body><div id="formDiv"><div class="formGrouping">
    <div class="infoHead">Filing Date</div><div class="info">2023-07-11</div>
    <div class="infoHead">Accepted</div>
    <div class="info">2023-07-11 12:28:59</div></div>
    <table class="tableFile" summary="Document Format Files">
      <tr><th scope="col">Seq</th><th scope="col">Description</th><th scope="col">Document</th><th scope="col">Type</th><th scope="col">Size</th></tr>
      ${tr}
    </table></div></body></html>`;
  const doc = sourceDocument(`https://www.sec.gov${folder}/0001062993-23-014799-index.htm`, Buffer.from(html, 'utf8'), 'text/html');
  return { name: 'Form 4 filing index, 4 documents', bytes: doc.body.length, synthetic: true, run: () => parseFilingIndex(doc).documents.length };
}

// ------------------------------------------------------------------------------------- news, social

function newsAndSocialCases(seed: number): ParserCase[] {
  const json = 'application/json; charset=UTF-8';
  const reddit = [
    fixtureDocument('reddit', 'go-reddit_subreddit_posts.json', (doc) => parseListing(doc).things.length, json),
    fixtureDocument('reddit', 'go-reddit_post_with_comments.json', (doc) => 1 + parseComments(doc).comments.length, json),
    fixtureDocument('reddit', 'go-reddit_post_more.json', (doc) => parseMoreChildren(doc).comments.length, json),
  ];
  const x = xDocuments(seed);
  return [
    { module: 'news/feed-parse.ts', call: 'parseFeed', records: 'items', kind: 'parse', documents: fixtureDocuments('rss_atom', (doc) => parseFeed(doc).items.length) },
    { module: 'social/reddit-parse.ts', call: 'parseListing, parseComments, parseMoreChildren', records: 'posts and comments', kind: 'parse', documents: reddit },
    { module: 'social/x-parse.ts', call: 'parseSearchPage', records: 'posts', kind: 'parse', documents: [x.page] },
    { module: 'social/x-parse.ts', call: 'parseStreamLine', records: 'posts', kind: 'parse', documents: [x.line] },
    { module: 'social/telegram.ts', call: 'parseUpdates', records: 'messages', kind: 'parse', documents: [telegramDocument(seed)] },
  ];
}

/** Texts of simulated social posts, so that synthetic posts read like the stream the enricher sees. */
const postTexts = (seed: number, count: number): string[] =>
  simulatedEvents(seed, count, isSocialPost).map((e) => String((e.payload.body as { text: unknown }).text));

/** A full `/2/tweets/search/recent` page (100 posts, the API's largest page, by 100 authors) and one stream line. */
function xDocuments(seed: number): { page: BenchDocument; line: BenchDocument } {
  const texts = postTexts(seed, 100);
  const users: XUserSpec[] = texts.map((_, i) => ({
    id: String(1_600_000_000_000_000_000n + BigInt(i * 7919)),
    username: `trader_${(i * 104_729).toString(36)}`,
    createdAt: new Date(Date.UTC(2015, 0, 1) + i * 86_400_000 * 13).toISOString(),
    followers: (i * 3571) % 20_000,
  }));
  const posts: XPostSpec[] = texts.map((text, i) => ({
    id: String(1_790_000_000_000_000_000n - BigInt(i * 1000)),
    text,
    authorId: users[i]!.id,
    createdAt: new Date(Date.UTC(2024, 4, 13, 14) - i * 1500).toISOString(),
  }));
  const body = JSON.stringify(xSearchPage(posts, users, 'b26v89c19zqg8o3fpzbkk8t7vbb3mewkf2gp4t0uspuyl'));
  const line = xStreamLine(posts[0]!, users[0]!);
  const lineBytes = Buffer.byteLength(line, 'utf8');
  return {
    page: syntheticDocument('search page, 100 posts, 100 authors', body, (doc) => parseSearchPage(doc).posts.length),
    line: {
      name: 'filtered stream line, 1 post',
      bytes: lineBytes,
      synthetic: true,
      run: () => (parseStreamLine(line, 'synthetic:x-stream', 1).type === 'post' ? 1 : 0),
    },
  };
}

/** A full `getUpdates` answer (100 updates, the Bot API's default limit): channel posts and group captions. */
function telegramDocument(seed: number): BenchDocument {
  const texts = postTexts(seed + 1, 100);
  const result = texts.map((text, i) => (i % 3 === 2 ? groupPhoto(1000 + i, 500 + i, text) : channelPost(1000 + i, 500 + i, text)));
  return syntheticDocument('getUpdates, 100 messages', JSON.stringify(updates(...result)), (doc) => parseUpdates(doc).messages.length);
}

// ------------------------------------------------------------------------------------ macro, market

function macroAndMarketCases(): ParserCase[] {
  return [
    {
      module: 'macro/fred-parse.ts',
      call: 'parseFredObservations',
      records: 'observations',
      kind: 'parse',
      documents: fixtureDocuments('fred', (doc) => parseFredObservations(doc).observations.length),
    },
    { module: 'market/alpaca-parse.ts', call: 'parseAlpacaBars', records: 'bars', kind: 'parse', documents: [alpacaBars()] },
    { module: 'market/alpaca-parse.ts', call: 'parseAlpacaTrades', records: 'trades', kind: 'parse', documents: [alpacaTrades()] },
    { module: 'market/tradier-parse.ts', call: 'parseTradierChain', records: 'options', kind: 'parse', documents: [tradierChain()] },
  ];
}

/** AAPL daily prices (data/demo, Yahoo Finance), 1,000 days: rows for an Alpaca bars page. */
function aaplRows(): { date: string; open: number; high: number; low: number; close: number; volume: number }[] {
  const csv = readFileSync(new URL('../../data/demo/aapl_daily_2013_2018.csv', import.meta.url), 'utf8');
  return csv
    .trim()
    .split('\n')
    .slice(1, 1001)
    .map((line) => {
      const [date, open, high, low, close, , volume] = line.split(',');
      return { date: date!, open: Number(open), high: Number(high), low: Number(low), close: Number(close), volume: Number(volume) };
    });
}

/** A multi-symbol bars page of 1,000 bars (Alpaca's default limit), real AAPL prices in Alpaca's v2 shape. */
function alpacaBars(): BenchDocument {
  const bars = aaplRows().map((r) => ({
    t: `${r.date}T04:00:00Z`,
    o: r.open,
    h: r.high,
    l: r.low,
    c: r.close,
    v: r.volume,
    n: Math.round(r.volume / 180),
    vw: Math.round(((r.high + r.low + r.close) / 3) * 10_000) / 10_000,
  }));
  const body = JSON.stringify({ bars: { AAPL: bars }, next_page_token: 'QUFQTHxEfDIwMTctMDUtMDVUMDQ6MDA6MDAuMDAwMDAwMDAwWg==' });
  return syntheticDocument('bars page, 1,000 AAPL daily bars', body, (doc) => parseAlpacaBars(doc).items.length);
}

/** A trades page of 1,000 trades with nanosecond timestamps, around the first AAPL close. */
function alpacaTrades(): BenchDocument {
  const base = Date.UTC(2024, 0, 3, 14, 35);
  const trades = Array.from({ length: 1000 }, (_, i) => ({
    t: `${new Date(base + i * 37).toISOString().slice(0, 19)}.${String(123_456_789 + i * 7_654_321).slice(0, 9)}Z`,
    x: ['V', 'Q', 'N', 'P'][i % 4],
    p: Math.round((184.25 + Math.sin(i / 17) * 0.4) * 100) / 100,
    s: 1 + ((i * 37) % 500),
    c: i % 5 === 0 ? ['@', 'I'] : ['@'],
    i: 52_983_525_029_461 + i,
    z: 'C',
  }));
  return syntheticDocument('trades page, 1,000 trades', JSON.stringify({ trades: { AAPL: trades }, next_page_token: null }), (doc) => parseAlpacaTrades(doc).items.length);
}

/** An options chain of 200 contracts (100 strikes, a call and a put each) with greeks, as Tradier answers. */
function tradierChain(): BenchDocument {
  const option = (strike: number, type: 'call' | 'put') => {
    const symbol = `SPY240119${type === 'call' ? 'C' : 'P'}00${strike}000`;
    const moneyness = (470 - strike) / 470;
    const cents = (x: number) => Math.max(0.01, Math.round(x * 100) / 100);
    const last = cents(type === 'call' ? 5 + moneyness * 100 : 5 - moneyness * 100);
    const delta = Math.round((type === 'call' ? 0.5 + moneyness * 4 : -0.5 + moneyness * 4) * 1000) / 1000;
    return {
      symbol, description: `SPY Jan 19 2024 $${strike}.00 ${type === 'call' ? 'Call' : 'Put'}`, exch: 'Z', type: 'option', last, change: 0.3,
      volume: (strike * 7) % 900, open: last, high: cents(last + 0.2), low: cents(last - 0.2), close: null, bid: cents(last - 0.02), ask: cents(last + 0.02),
      underlying: 'SPY', strike, change_percentage: 6.2, average_volume: 0, last_volume: 10, trade_date: 1704294000000, prevclose: cents(last - 0.3),
      week_52_high: 0.0, week_52_low: 0.0, bidsize: 50, bidexch: 'Q', bid_date: 1704294000000, asksize: 40, askexch: 'X', ask_date: 1704294000000,
      open_interest: (strike * 13) % 5000, contract_size: 100, expiration_date: '2024-01-19', expiration_type: 'standard', option_type: type, root_symbol: 'SPY',
      greeks: {
        delta: Math.max(-1, Math.min(1, delta)), gamma: 0.05, theta: -0.2, vega: 0.3, rho: 0.1, phi: -0.1,
        bid_iv: 0.12, mid_iv: 0.125, ask_iv: 0.13, smv_vol: 0.126, updated_at: '2024-01-03 15:00:00',
      },
    };
  };
  const contracts = Array.from({ length: 100 }, (_, i) => 420 + i).flatMap((strike) => [option(strike, 'call'), option(strike, 'put')]);
  return syntheticDocument('chain, 200 contracts with greeks', JSON.stringify({ options: { option: contracts } }), (doc) => parseTradierChain(doc).length);
}

// ------------------------------------------------------------------------------------------- chain

/**
 * The JSON-RPC answers: the ethereum-etl `.json` files are whole responses; the execution-apis `.io` files
 * hold `>>` request and `<<` response lines, of which the response line is the document.
 */
function rpcAnswer(name: string): { name: string; body: Buffer } {
  const raw = fixtureBytes('eth_jsonrpc', name);
  if (!name.endsWith('.io')) return { name, body: raw };
  const line = raw.toString('utf8').split('\n').find((l) => l.startsWith('<<'));
  if (!line) throw new Error(`${name}: no << response line`);
  return { name, body: Buffer.from(line.slice(2).trim(), 'utf8') };
}

type RpcRead = { method: string; parse: (result: unknown, origin: string) => { blocks: Block[]; logs: Log[] } };

const RPC_READS: Record<string, RpcRead> = {
  getBlockByNumber: { method: 'eth_getBlockByNumber', parse: (r, o) => ({ blocks: [parseBlock(r, o)!], logs: [] }) },
  getFilterLogs: { method: 'eth_getLogs', parse: (r, o) => ({ blocks: [], logs: parseLogs(r, o) }) },
  getLogs: { method: 'eth_getLogs', parse: (r, o) => ({ blocks: [], logs: parseLogs(r, o) }) },
  getTransactionReceipt: { method: 'eth_getTransactionReceipt', parse: (r, o) => ({ blocks: [], logs: parseLogs((r as { logs: unknown }).logs, o, 'result.logs') }) },
  getBlockReceipts: {
    method: 'eth_getBlockReceipts',
    parse: (r, o) => ({ blocks: [], logs: (r as { logs: unknown }[]).flatMap((receipt, i) => parseLogs(receipt.logs, o, `result[${i}].logs`)) }),
  },
};

function rpcReadOf(name: string): RpcRead {
  const key = Object.keys(RPC_READS).find((k) => name.includes(`eth_${k}`));
  if (!key) throw new Error(`${name}: no reader for this JSON-RPC method`);
  return RPC_READS[key]!;
}

function chainCases(): ParserCase[] {
  const answers = fixtureNames('eth_jsonrpc').map(rpcAnswer);
  const parse = (name: string, body: Buffer) => {
    const read = rpcReadOf(name);
    return read.parse(readRpcResponse(sourceDocument(name, body), read.method), name);
  };
  // Every transfer yields a draft: thresholds of 1 wei and 1 unit, the fixture's token configured.
  const token = '0xf4eced2f682ce333f96f2d8966c613ded8fc95dd';
  const rules: TransferRules = {
    source: 'ethereum',
    nativeSymbol: 'ETH',
    nativeInstrument: 'ETH-USD',
    nativeWhaleWei: 1n,
    whaleUsd: null,
    tokens: new Map([[token, { address: token, symbol: 'TKN', decimals: 6, whaleUnits: 1n, flowUnits: toUnits('1000000', 6, 'flow'), instrument: null }]]),
    exchanges: new Map([['0x1b63142628311395ceafeea5667e7c9026c862ca', 'Exchange 1']]),
    pricesUsd: new Map([['ETH', parseDecimal('2300.25')!]]),
  };
  const parsed = answers.map(({ name, body }) => ({ name, bytes: body.length, ...parse(name, body) }));
  return [
    {
      module: 'chain/parse.ts',
      call: 'readRpcResponse + parseBlock / parseLogs',
      records: 'transactions and logs',
      kind: 'parse',
      documents: answers.map(({ name, body }) => {
        const fixture = name.endsWith('.io') ? `${name} (response line)` : name;
        return {
          name: fixture,
          bytes: body.length,
          synthetic: false,
          run: () => {
            const { blocks, logs } = parse(name, body);
            return blocks.reduce((n, b) => n + b.transactions.length, 0) + logs.length;
          },
        };
      }),
    },
    {
      module: 'chain/transfers.ts',
      call: 'nativeTransferDraft, logDraft',
      records: 'drafts',
      kind: 'map',
      documents: parsed
        .filter(({ blocks, logs }) => logs.length > 0 || blocks.some((b) => b.transactions.length > 0))
        .map(({ name, bytes, blocks, logs }) => ({
          name,
          bytes,
          synthetic: false,
          run: () => {
            let drafts = 0;
            for (const b of blocks) for (const tx of b.transactions) if (nativeTransferDraft(rules, tx, b.number, Number(b.timestamp) * 1000)) drafts++;
            for (const log of logs) if (logDraft(rules, log, 0)) drafts++;
            return drafts;
          },
        })),
    },
  ];
}

/** Every parser case, documents loaded and built. */
export function parserCases(seed: number): ParserCase[] {
  return [...secCases(), ...newsAndSocialCases(seed), ...macroAndMarketCases(), ...chainCases()];
}
