/**
 * The SEC EDGAR source end to end: the real HTTP client against a local server that serves the real
 * fixture documents at EDGAR's paths (feed → filing index → document), through polls and a restart.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryBus } from '../../src/engine/bus/memory.js';
import { Topics } from '../../src/engine/bus/topics.js';
import { TestClock } from '../../src/engine/clock.js';
import type { CursorStore } from '../../src/engine/collectors/collector.js';
import { DocumentError } from '../../src/engine/collectors/document.js';
import { HttpError } from '../../src/engine/collectors/http.js';
import { PoliteHttpClient } from '../../src/engine/collectors/http-client.js';
import { SecEdgarSource, type SecEdgarCursor } from '../../src/engine/collectors/sec/edgar.js';
import { PollingCollector } from '../../src/engine/collectors/polling.js';
import type { PollResult } from '../../src/engine/collectors/source.js';
import type { DeadLettered, SignalIngested } from '../../src/engine/types.js';
import { readFixture, startFixtureServer, type FixtureServer, type Reply } from '../fixture-server.js';

const USER_AGENT = 'Vanta tests ops@example.com';
const CURRENT_FEED = 'sec_current_feed/edgar_client_current_feed_2023-07-11.xml';

/** A filing the test server knows: its feed entries, and what its index page lists. */
interface Filing {
  readonly accession: string;
  readonly form: string;
  readonly updated: string;
  readonly parties: readonly (readonly [name: string, cik: string, role: string])[];
  /** The primary document (type = form) served from a fixture or as given; absent for forms not followed. */
  readonly document?: { readonly name: string; readonly fixture?: string; readonly body?: string | Uint8Array };
  readonly indexStatus?: number;
}

const parseSecCursorText = (stored: string | undefined) => (stored === undefined ? null : new SecEdgarSource().parseCursor(stored));

const folder = (f: Filing) => `/Archives/edgar/data/${Number(f.parties[0]![1])}/${f.accession.replace(/-/g, '')}`;

/** Feed entries written the way the real feed writes them (one per party). */
function entries(f: Filing): string {
  return f.parties
    .map(
      ([name, cik, role]) => `<entry>
<title>${f.form} - ${name} (${cik}) (${role})</title>
<link rel="alternate" type="text/html" href="https://www.sec.gov${folder(f)}/${f.accession}-index.htm"/>
<summary type="html">
 &lt;b&gt;Filed:&lt;/b&gt; ${f.updated.slice(0, 10)} &lt;b&gt;AccNo:&lt;/b&gt; ${f.accession} &lt;b&gt;Size:&lt;/b&gt; 12 KB
</summary>
<updated>${f.updated}</updated>
<category scheme="https://www.sec.gov/" label="form type" term="${f.form}"/>
<id>urn:tag:sec.gov,2008:accession-number=${f.accession}</id>
</entry>`,
    )
    .join('\n');
}

/** A latest-filings feed: the real feed's own head, then these filings, newest first. */
function currentFeed(filings: readonly Filing[]): string {
  const real = readFixture(CURRENT_FEED).toString('latin1');
  const head = real.slice(0, real.indexOf('<entry>'));
  const sorted = [...filings].sort((a, b) => Date.parse(b.updated) - Date.parse(a.updated));
  return `${head}${sorted.map(entries).join('\n')}\n</feed>\n`;
}

/** A company feed shaped like `edgar_client_company_feed.xml`. */
function companyFeed(cik: string, name: string, list: readonly { accession: string; form: string; date: string }[]): string {
  const entry = (e: { accession: string; form: string; date: string }) => `<entry>
      <category label="form type" scheme="https://www.sec.gov/" term="${e.form}" />
      <content type="text/xml">
        <accession-number>${e.accession}</accession-number>
        <filing-date>${e.date}</filing-date>
        <filing-href>https://www.sec.gov/Archives/edgar/data/${Number(cik)}/${e.accession.replace(/-/g, '')}/${e.accession}-index.htm</filing-href>
        <filing-type>${e.form}</filing-type>
      </content>
      <id>urn:tag:sec.gov,2008:accession-number=${e.accession}</id>
      <link href="https://www.sec.gov/Archives/edgar/data/${Number(cik)}/${e.accession.replace(/-/g, '')}/${e.accession}-index.htm" rel="alternate" type="text/html" />
      <summary type="html"> &lt;b&gt;Filed:&lt;/b&gt; ${e.date} &lt;b&gt;AccNo:&lt;/b&gt; ${e.accession}</summary>
      <title>${e.form}  - Statement of changes in beneficial ownership of securities</title>
      <updated>${e.date}T16:05:00-05:00</updated>
    </entry>`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
  <feed xmlns="http://www.w3.org/2005/Atom">
    <company-info><cik>${cik}</cik><conformed-name>${name}</conformed-name></company-info>
    ${list.map(entry).join('\n')}
    <title>${name}  (${cik})</title>
    <updated>2022-01-14T00:00:00-05:00</updated>
  </feed>`;
}

/** An index page laid out as EDGAR's `…-index.htm`. */
function indexPage(f: Filing): string {
  const doc = f.document!;
  const row = (href: string, type: string, description: string) =>
    `<tr><td scope="row">1</td><td scope="row">${description}</td><td scope="row"><a href="${href}">${href.slice(href.lastIndexOf('/') + 1)}</a></td><td scope="row">${type}</td><td scope="row">9999</td></tr>`;
  const rows = f.form.startsWith('13F')
    ? [row(`${folder(f)}/${doc.name}`, '&nbsp;', 'Complete submission text file')]
    : [row(`${folder(f)}/xslF345X03/${doc.name}`, f.form, `FORM ${f.form}`), row(`${folder(f)}/${doc.name}`, f.form, `FORM ${f.form}`)];
  return `<html><body><table class="tableFile" summary="Document Format Files">
<tr><th scope="col">Seq</th><th scope="col">Description</th><th scope="col">Document</th><th scope="col">Type</th><th scope="col">Size</th></tr>
${rows.join('\n')}</table></body></html>`;
}

const SNOW: Filing = {
  accession: '0001402349-22-000010',
  form: '4',
  updated: '2022-12-14T18:04:05-05:00',
  parties: [['Scarpelli Michael', '0001402349', 'Reporting'], ['Snowflake Inc.', '0001640147', 'Issuer']],
  document: { name: 'wf-form4_167105903.xml', fixture: 'sec_form4/edgartools_form4_snow_2022-12-13.xml' },
};
const WATER: Filing = {
  accession: '0002064133-25-000001',
  form: '4',
  updated: '2022-12-14T18:06:00-05:00',
  parties: [['Melkote Rajesh Ramaswamy', '0002064133', 'Reporting'], ['374Water Inc.', '0000933972', 'Issuer']],
  document: { name: 'form4.xml', fixture: 'sec_form4/edgartools_form4_374water_2025.xml' },
};
const LTS: Filing = {
  accession: '0001894188-23-000007',
  form: '13F-HR',
  updated: '2022-12-14T18:10:00-05:00',
  parties: [['LTS One Management LP', '0001894188', 'Filer']],
  document: { name: '0001894188-23-000007.txt', fixture: 'sec_13f/edgartools_13F.0001894188-23-000007.txt' },
};
const msft = readFixture('sec_form4/edgar_client_form4_msft_2022.xml');
const BROKEN: Filing = {
  accession: '0001207433-22-000003',
  form: '4',
  updated: '2022-12-14T18:05:00-05:00',
  parties: [['THOMPSON JOHN WENDELL', '0001207433', 'Reporting'], ['MICROSOFT CORP', '0000789019', 'Issuer']],
  document: { name: 'form4.xml', body: msft.subarray(0, 3000) },
};
const NOT_FOLLOWED: Filing = {
  accession: '0001214659-23-009478',
  form: '424B2',
  updated: '2022-12-14T18:07:00-05:00',
  parties: [['BANK OF MONTREAL /CAN/', '0000927971', 'Filer']],
};
const MISSING: Filing = { ...WATER, accession: '0002064133-25-000002', updated: '2022-12-14T18:08:00-05:00', indexStatus: 404 };

describe('SecEdgarSource against a local EDGAR', () => {
  let server: FixtureServer;
  let http: PoliteHttpClient;
  let feed: Filing[];
  let etag: number;
  const clock = new TestClock();

  const serve = (filings: readonly Filing[]) => {
    feed = [...filings];
    etag += 1;
    for (const f of filings) {
      if (!f.document) continue;
      const index: Reply = f.indexStatus ? { status: f.indexStatus, body: 'Not Found' } : { body: indexPage(f), headers: { 'content-type': 'text/html' } };
      server.route(`${folder(f)}/${f.accession}-index.htm`, index);
      server.route(`${folder(f)}/${f.document.name}`, f.document.fixture ? { fixture: f.document.fixture } : { body: f.document.body! });
    }
  };

  beforeEach(async () => {
    server = await startFixtureServer();
    http = new PoliteHttpClient({ userAgent: USER_AGENT, defaultRequestsPerSecond: 500, maxRetries: 0, timeoutMs: 5_000 });
    etag = 0;
    feed = [];
    server.route('/cgi-bin/browse-edgar', (req) => {
      if (req.url.searchParams.get('action') !== 'getcurrent') return { status: 400, body: 'unexpected' };
      return { body: currentFeed(feed), headers: { etag: `"feed-${etag}"`, 'content-type': 'application/atom+xml' } };
    });
  });
  afterEach(() => server.close());

  const poll = async (source: SecEdgarSource, stored: string | null) => {
    const cursor = stored === null ? null : source.parseCursor(stored);
    const result: PollResult<SecEdgarCursor> = await source.poll({ cursor, http, clock, signal: new AbortController().signal });
    return { result, stored: JSON.stringify(result.cursor) };
  };
  const byKind = (r: PollResult<SecEdgarCursor>, kind: string) => r.drafts.filter((d) => d.signal.kind === kind);

  it('feed → index → document: drafts for every filing, a broken one rejected with its bytes', async () => {
    serve([SNOW, WATER, LTS, BROKEN, NOT_FOLLOWED, MISSING]);
    const source = new SecEdgarSource({ baseUrl: server.url });
    const { result } = await poll(source, null);

    // One `filing` per accession, oldest first, both parties of the Form 4s kept.
    const filings = byKind(result, 'filing');
    expect(filings.map((d) => d.signal.externalId)).toEqual([SNOW, BROKEN, WATER, NOT_FOLLOWED, MISSING, LTS].map((f) => f.accession));
    expect(filings[0]!.signal.body.parties).toHaveLength(2);

    const insider = byKind(result, 'insider_filing');
    expect(insider.filter((d) => d.signal.instrument === 'SNOW')).toHaveLength(7);
    expect(insider.filter((d) => d.signal.instrument === 'SCWO')).toHaveLength(2);
    const sale = insider.find((d) => d.signal.externalId === `${SNOW.accession}:nonDerivative:1`)!;
    expect(sale.signal.body).toMatchObject({ transactionCode: 'S', shares: '73170', price: '150.841', filedDate: '2022-12-14' });
    expect(sale.tsEvent).toBe(Date.parse(SNOW.updated));

    const holdings = byKind(result, 'institutional_holding');
    expect(holdings).toHaveLength(14);
    expect(holdings[0]!.tsEvent).toBe(Date.UTC(2023, 10, 14, 14, 38, 54));

    // The truncated document and the missing index are dead letters; everything else went through.
    expect(result.rejected).toHaveLength(2);
    const [broken, missing] = result.rejected;
    expect(broken!.error).toBeInstanceOf(DocumentError);
    expect((broken!.error as DocumentError).code).toBe('DOCUMENT_MALFORMED');
    expect(Buffer.from(broken!.document.body).equals(msft.subarray(0, 3000))).toBe(true);
    expect(broken!.document.origin).toBe(`${server.url}${folder(BROKEN)}/form4.xml`);
    expect(missing!.error).toBeInstanceOf(HttpError);
    expect(Buffer.from(missing!.document.body).toString()).toBe('Not Found');

    // The rendered copy under xsl…/ was never fetched; every request declared the User-Agent.
    expect(server.requests.some((r) => r.path.includes('/xslF345X03/'))).toBe(false);
    expect(server.requests.every((r) => r.headers['user-agent'] === USER_AGENT)).toBe(true);
    expect(result.cursor.newestAccession).toBe(LTS.accession);
  });

  it('a restart from the stored cursor neither repeats nor loses a filing; an unchanged feed is a 304', async () => {
    serve([SNOW, NOT_FOLLOWED]);
    const first = await poll(new SecEdgarSource({ baseUrl: server.url }), null);
    expect(byKind(first.result, 'filing')).toHaveLength(2);

    // Same feed: a conditional GET answered 304, nothing new.
    const same = await poll(new SecEdgarSource({ baseUrl: server.url }), first.stored);
    expect(same.result.drafts).toEqual([]);
    const feedRequests = server.requestsTo('/cgi-bin/browse-edgar');
    expect(feedRequests.at(-1)!.headers['if-none-match']).toBe('"feed-1"');

    // New filings arrive, one of them accepted before the newest already seen (disseminated late).
    const late: Filing = { ...WATER, updated: '2022-12-14T18:03:00-05:00' };
    serve([SNOW, NOT_FOLLOWED, LTS, late]);
    const restarted = new SecEdgarSource({ baseUrl: server.url });
    const second = await poll(restarted, same.stored);
    expect(byKind(second.result, 'filing').map((d) => d.signal.externalId)).toEqual([late.accession, LTS.accession]);
    expect(byKind(second.result, 'insider_filing').every((d) => d.signal.instrument === 'SCWO')).toBe(true);
    expect(byKind(second.result, 'institutional_holding')).toHaveLength(14);

    // And once more after that: nothing is repeated.
    serve([SNOW, NOT_FOLLOWED, LTS, late]);
    const third = await poll(new SecEdgarSource({ baseUrl: server.url }), second.stored);
    expect(third.result.drafts).toEqual([]);
    expect(third.result.rejected).toEqual([]);
  });

  it('reads older pages when a whole page is new, up to maxPages', async () => {
    const filing = (i: number): Filing => ({
      accession: `0000927971-22-${String(i).padStart(6, '0')}`,
      form: '424B2',
      updated: new Date(Date.parse('2022-12-14T18:00:00-05:00') + i * 1000).toISOString().replace('.000Z', '+00:00'),
      parties: [['BANK OF MONTREAL /CAN/', '0000927971', 'Filer']],
    });
    server.route('/cgi-bin/browse-edgar', (req) => {
      const start = Number(req.url.searchParams.get('start') ?? 0);
      const count = Number(req.url.searchParams.get('count'));
      const page = [...feed].sort((a, b) => Date.parse(b.updated) - Date.parse(a.updated)).slice(start, start + count);
      return { body: currentFeed(page) };
    });
    serve([filing(0)]);
    const first = await poll(new SecEdgarSource({ baseUrl: server.url, pageSize: 10 }), null);
    expect(byKind(first.result, 'filing')).toHaveLength(1);

    // 25 new filings: pages start=0, 10 and 20 hold them all, and the last holds the one seen before.
    serve(Array.from({ length: 26 }, (_, i) => filing(i)));
    const second = await poll(new SecEdgarSource({ baseUrl: server.url, pageSize: 10 }), first.stored);
    expect(byKind(second.result, 'filing')).toHaveLength(25);
    expect(server.requestsTo('/cgi-bin/browse-edgar').slice(-3).map((r) => r.url.searchParams.get('start'))).toEqual([null, '10', '20']);

    // With a limit of two pages, the oldest five are out of reach this time.
    serve(Array.from({ length: 52 }, (_, i) => filing(i)));
    const third = await poll(new SecEdgarSource({ baseUrl: server.url, pageSize: 10, maxPages: 2 }), second.stored);
    expect(byKind(third.result, 'filing')).toHaveLength(20);
  });

  it('a feed answered with an error page is a dead letter and the cursor stays; a refused feed fails the poll', async () => {
    serve([SNOW]);
    const first = await poll(new SecEdgarSource({ baseUrl: server.url }), null);
    server.route('/cgi-bin/browse-edgar', { body: '<html><body>Request Rate Threshold Exceeded</body></html>', headers: { 'content-type': 'text/html' } });
    const second = await poll(new SecEdgarSource({ baseUrl: server.url }), first.stored);
    expect(second.result.drafts).toEqual([]);
    expect((second.result.rejected[0]!.error as DocumentError).code).toBe('DOCUMENT_FORMAT');
    expect(second.result.cursor).toEqual(first.result.cursor);
    server.route('/cgi-bin/browse-edgar', { status: 403, body: 'Undeclared Automated Tool' });
    await expect(poll(new SecEdgarSource({ baseUrl: server.url }), first.stored)).rejects.toMatchObject({ code: 'HTTP_STATUS', status: 403 });
  });

  it('announces only the configured forms when asked to', async () => {
    serve([SNOW, NOT_FOLLOWED]);
    const { result } = await poll(new SecEdgarSource({ baseUrl: server.url, announceAllFilings: false }), null);
    expect(byKind(result, 'filing').map((d) => d.signal.body.formType)).toEqual(['4']);
  });

  it('takes the feed URL as configured, paging with its count', async () => {
    serve([SNOW]);
    const feedUrl = `${server.url}/cgi-bin/browse-edgar?action=getcurrent&type=&company=&dateb=&owner=include&start=0&count=40&output=atom`;
    const { result } = await poll(new SecEdgarSource({ baseUrl: server.url, feedUrl }), null);
    expect(byKind(result, 'insider_filing')).toHaveLength(7);
    const sent = server.requestsTo('/cgi-bin/browse-edgar')[0]!.url.searchParams;
    expect([sent.get('action'), sent.get('owner'), sent.get('count'), sent.get('start')]).toEqual(['getcurrent', 'include', '40', null]);
  });

  it('through the PollingCollector: signals and dead letters on the bus, the cursor saved, a restart adds nothing', async () => {
    serve([SNOW, BROKEN, LTS]);
    const bus = new MemoryBus();
    const raw: SignalIngested[] = [];
    const dead: DeadLettered[] = [];
    bus.subscribe(Topics.signalsRaw, async (e) => void raw.push(e), { group: 'test' });
    bus.subscribe(Topics.deadLetter, async (e) => void dead.push(e), { group: 'test' });
    const saved = new Map<string, string>();
    const cursors: CursorStore = { get: async (k) => saved.get(k) ?? null, set: async (k, v) => void saved.set(k, v) };
    const run = async () => {
      const collector = new PollingCollector({ source: new SecEdgarSource({ baseUrl: server.url }), bus, clock, http, cursors });
      expect(await collector.pollOnce()).toBe(true);
      await bus.drain();
    };
    try {
      await run();
      expect(raw.filter((e) => e.payload.kind === 'insider_filing')).toHaveLength(7);
      expect(raw.filter((e) => e.payload.kind === 'institutional_holding')).toHaveLength(14);
      expect(raw.filter((e) => e.payload.kind === 'filing')).toHaveLength(3);
      expect(new Set(raw.map((e) => e.id)).size).toBe(raw.length);
      expect(dead).toHaveLength(1);
      expect(dead[0]!.payload.stage).toBe('sec-edgar');
      expect(Buffer.from((dead[0]!.payload.source as { bodyBase64: string }).bodyBase64, 'base64').equals(msft.subarray(0, 3000))).toBe(true);
      expect(parseSecCursorText(saved.get('sec-edgar'))).toMatchObject({ newestAccession: LTS.accession });

      await run(); // a restart: a new collector and source, the saved cursor
      expect(raw).toHaveLength(24);
      expect(dead).toHaveLength(1);
    } finally {
      await bus.close();
    }
  });

  it('a cursor that cannot be read starts afresh', () => {
    const source = new SecEdgarSource({ baseUrl: server.url });
    expect(source.parseCursor('{"etag":1}')).toBeNull();
    expect(source.parseCursor('not json')).toBeNull();
  });

  it('the real latest-filings feed: one filing per accession, the Form 4 followed to its document', async () => {
    server.file('/cgi-bin/browse-edgar', CURRENT_FEED, { contentType: 'application/atom+xml' });
    // The feed's Form 4 (Carre Eric): its index lists a document that answers 404.
    const carre = '/Archives/edgar/data/1673421/000106299323014799';
    const missingDoc: Filing = { accession: '0001062993-23-014799', form: '4', updated: '', parties: [['Carre Eric', '0001673421', 'Reporting']], document: { name: 'form4.xml' } };
    server.route(`${carre}/0001062993-23-014799-index.htm`, { body: indexPage(missingDoc) });
    const source = new SecEdgarSource({ baseUrl: server.url, forms: ['4'] });
    const { result, stored } = await poll(source, null);
    const real = readFixture(CURRENT_FEED).toString('latin1');
    const accessions = new Set([...real.matchAll(/accession-number=([\d-]+)</g)].map((m) => m[1]));
    expect(byKind(result, 'filing')).toHaveLength(accessions.size);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]!.document.origin).toBe(`${server.url}${carre}/form4.xml`);
    const again = await poll(source, stored);
    expect(again.result.drafts).toEqual([]);
  });

  it('a 4/A: finds its original through the company feeds and retracts its rows by id', async () => {
    const panwA = readFixture('sec_form4/edgar_client_form4a_panw_2021.xml').toString('latin1');
    const originalXml = panwA.replace('<documentType>4/A</documentType>', '<documentType>4</documentType>').replace(/<dateOfOriginalSubmission>.*<\/dateOfOriginalSubmission>/, '');
    const ORIGINAL = '0001409324-21-000004';
    const amendment: Filing = {
      accession: '0001409324-22-000001',
      form: '4/A',
      updated: '2022-01-13T17:00:00-05:00',
      parties: [['Eschenbach Carl M.', '0001409324', 'Reporting'], ['Palo Alto Networks Inc', '0001327567', 'Issuer']],
      document: { name: 'form4a.xml', fixture: 'sec_form4/edgar_client_form4a_panw_2021.xml' },
    };
    serve([amendment]);
    const originalFolder = `/Archives/edgar/data/1327567/${ORIGINAL.replace(/-/g, '')}`;
    server.route(`${originalFolder}/${ORIGINAL}-index.htm`, {
      body: indexPage({ ...amendment, accession: ORIGINAL, form: '4', parties: [['Palo Alto Networks Inc', '0001327567', 'Issuer']], document: { name: 'orig.xml' } }),
    });
    server.route(`${originalFolder}/orig.xml`, { body: originalXml });
    server.route('/cgi-bin/browse-edgar', (req) => {
      const q = req.url.searchParams;
      if (q.get('action') === 'getcurrent') return { body: currentFeed(feed) };
      if (q.get('action') !== 'getcompany' || q.get('type') !== '4' || q.get('dateb') !== '20211216') return { status: 400, body: 'unexpected' };
      if (q.get('CIK') === '0001409324') {
        return { body: companyFeed('0001409324', 'Eschenbach Carl M.', [{ accession: ORIGINAL, form: '4', date: '2021-12-15' }, { accession: '0001409324-21-000002', form: '4', date: '2021-06-01' }]) };
      }
      // The issuer's feed also lists another insider's Form 4 of the same day.
      return { body: companyFeed('0001327567', 'Palo Alto Networks Inc', [{ accession: ORIGINAL, form: '4', date: '2021-12-15' }, { accession: '0001111111-21-000009', form: '4', date: '2021-12-15' }]) };
    });
    const { result } = await poll(new SecEdgarSource({ baseUrl: server.url }), null);
    const insider = byKind(result, 'insider_filing');
    expect(insider[0]).toMatchObject({ retracts: true, signal: { body: { retractsExternalId: `${ORIGINAL}:nonDerivative:0`, retractsAccession: ORIGINAL } } });
    expect(insider[1]!.retracts).toBeFalsy();
    expect(insider[1]!.signal.body).toMatchObject({ amendment: true, amends: { accessionNumber: ORIGINAL, dateOfOriginalSubmission: '2021-12-15' } });
    expect(result.rejected).toEqual([]);
    const lookups = server.requestsTo('/cgi-bin/browse-edgar').filter((r) => r.url.searchParams.get('action') === 'getcompany');
    expect(lookups.map((r) => r.url.searchParams.get('CIK'))).toEqual(['0001409324', '0001327567']);
  });
});
