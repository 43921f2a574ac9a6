import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DocumentError, type SourceDocument } from '../document.js';
import { parseEdgarFeed } from './atom.js';

const DIR = new URL('../../../../test/fixtures/sec_current_feed/', import.meta.url);
const bytes = (name: string): Buffer => readFileSync(new URL(name, DIR));
const text = (name: string): string => bytes(name).toString('latin1');
const doc = (body: Buffer | string, origin = 'feed.xml'): SourceDocument => ({
  origin,
  body: typeof body === 'string' ? Buffer.from(body, 'latin1') : body,
});

const CURRENT = 'edgar_client_current_feed_2023-07-11.xml';
const CURRENT_2018 = 'vikram7_filings_atom_feed_2018-04-24.xml';
const COMPANY = 'edgar_client_company_feed.xml';

/** Accession numbers read straight from the `<id>` tags: an independent count. */
const accessionIds = (xml: string): string[] => [...xml.matchAll(/accession-number=(\d{10}-\d{2}-\d{6})<\/id>/g)].map((m) => m[1]!);

function errorOf(fn: () => unknown): DocumentError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DocumentError) return err;
    throw err;
  }
  throw new Error('expected a DocumentError');
}

describe('parseEdgarFeed on every EDGAR feed fixture', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.xml'));

  it('finds the fixtures', () => expect(files.length).toBe(3));

  it.each(files)('%s: one filing per accession, every entry read', (name) => {
    const ids = accessionIds(text(name));
    const feed = parseEdgarFeed(doc(bytes(name), name));
    expect(feed.entryCount).toBe((text(name).match(/<entry>/g) ?? []).length);
    expect(feed.filings.map((f) => f.accessionNumber)).toEqual([...new Set(ids)]);
    for (const f of feed.filings) {
      expect(f.indexUrl).toContain(f.accessionNumber.replace(/-/g, ''));
      expect(f.indexUrl).toMatch(new RegExp(`${f.accessionNumber}-index\\.htm$`));
      expect(Number.isFinite(f.updated)).toBe(true);
      expect(f.summary).not.toMatch(/[<>]/);
      expect(f.summary).toContain(`AccNo: ${f.accessionNumber}`);
      expect(f.parties.length).toBeGreaterThan(0);
    }
  });
});

describe('the latest-filings feed of 2023-07-11', () => {
  const feed = parseEdgarFeed(doc(bytes(CURRENT), CURRENT));

  it('merges the Reporting and Subject entries of a 144 into one filing with both parties', () => {
    const f = feed.filings.find((x) => x.accessionNumber === '0001949846-23-000187')!;
    expect(f.formType).toBe('144');
    expect(f.parties).toEqual([
      { name: 'Elliott Meghan Marie', cik: '0001813758', role: 'Reporting' },
      { name: 'APOGEE ENTERPRISES, INC.', cik: '0000006845', role: 'Subject' },
    ]);
  });

  it('merges co-registrants filed under one accession', () => {
    const f = feed.filings.find((x) => x.accessionNumber === '0001481057-23-005027')!;
    expect(f.parties.map((p) => p.role)).toEqual(['Filer', 'Filer']);
    expect(f.parties.map((p) => p.cik)).toEqual(['0001682472', '0000070858']);
  });

  it('reads a Form 4 entry: reporting owner, acceptance time with its offset, filing date', () => {
    const f = feed.filings.find((x) => x.formType === '4')!;
    expect(f.accessionNumber).toBe('0001062993-23-014799');
    expect(f.parties).toEqual([{ name: 'Carre Eric', cik: '0001673421', role: 'Reporting' }]);
    expect(f.updatedIso).toBe('2023-07-11T12:28:59-04:00');
    expect(f.updated).toBe(Date.UTC(2023, 6, 11, 16, 28, 59));
    expect(f.filedDate).toBe('2023-07-11');
    expect(f.indexUrl).toBe('https://www.sec.gov/Archives/edgar/data/1673421/000106299323014799/0001062993-23-014799-index.htm');
  });

  it('keeps feed order and turns the escaped HTML summary into text', () => {
    const times = feed.filings.map((f) => f.updated);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const d = feed.filings.find((x) => x.accessionNumber === '0001937286-23-000001')!;
    expect(d.summary).toBe('Filed: 2023-07-11 AccNo: 0001937286-23-000001 Size: 7 KB Item 3C: Investment Company Act Section 3(c) Item 3C.1: Section 3(c)(1)');
    expect(feed.updated).toBe(Date.parse('2023-07-11T12:52:02-04:00'));
    expect(feed.company).toBeNull();
  });
});

describe('the 2018 feed and the company feed', () => {
  it('2018: 100 13F entries including amendments, names with escaped ampersands', () => {
    const feed = parseEdgarFeed(doc(bytes(CURRENT_2018)));
    expect(feed.filings).toHaveLength(100);
    expect(feed.filings.filter((f) => f.formType === '13F-HR/A').length).toBe((text(CURRENT_2018).match(/term="13F-HR\/A"/g) ?? []).length);
    expect(feed.filings.every((f) => f.indexUrl.startsWith('http://www.sec.gov/'))).toBe(true);
    const burleson = feed.filings.find((f) => f.parties[0]!.name.startsWith('Burleson'))!;
    expect(burleson.parties[0]!.name).toContain(' & ');
  });

  it('company feed: the company from <company-info>, its role unstated, forms from <category>', () => {
    const feed = parseEdgarFeed(doc(bytes(COMPANY)));
    expect(feed.company).toEqual({ cik: '0000789019', name: 'MICROSOFT CORP' });
    const first = feed.filings[0]!;
    expect(first).toMatchObject({ accessionNumber: '0001193125-23-181341', formType: '8-K', filedDate: '2023-07-03' });
    expect(first.parties).toEqual([{ name: 'MICROSOFT CORP', cik: '0000789019', role: null }]);
    expect(feed.filings.filter((f) => f.formType === '4').length).toBe((text(COMPANY).match(/term="4"/g) ?? []).length);
  });
});

describe('encodings and broken feeds', () => {
  const feedText = text(CURRENT);

  it('reads the declared ISO-8859-1 (as Windows-1252)', () => {
    const latin = feedText.replace('Carre Eric', 'Carr\u00e9 \u00c9ric');
    const f = parseEdgarFeed(doc(Buffer.from(latin, 'latin1'))).filings.find((x) => x.formType === '4')!;
    expect(f.parties[0]!.name).toBe('Carr\u00e9 \u00c9ric');
  });

  it('declared UTF-8 with Latin-1 bytes is DOCUMENT_ENCODING', () => {
    const wrong = feedText.replace('encoding="ISO-8859-1"', 'encoding="UTF-8"').replace('Carre Eric', 'Carr\u00e9 Eric');
    expect(errorOf(() => parseEdgarFeed(doc(Buffer.from(wrong, 'latin1')))).code).toBe('DOCUMENT_ENCODING');
  });

  it('truncated is DOCUMENT_MALFORMED', () => {
    expect(errorOf(() => parseEdgarFeed(doc(feedText.slice(0, 10_000)))).code).toBe('DOCUMENT_MALFORMED');
  });

  it('an HTML error page, an RSS feed or JSON is DOCUMENT_FORMAT', () => {
    expect(errorOf(() => parseEdgarFeed(doc('<html><head><title>Request Rate Threshold Exceeded</title></head></html>'))).code).toBe('DOCUMENT_FORMAT');
    expect(errorOf(() => parseEdgarFeed(doc('<?xml version="1.0"?><rss version="2.0"><channel/></rss>'))).code).toBe('DOCUMENT_FORMAT');
    expect(errorOf(() => parseEdgarFeed(doc('{"filings":[]}'))).code).toBe('DOCUMENT_FORMAT');
  });

  it.each([
    ['an id without an accession number', feedText.replace('accession-number=0001214659-23-009478', 'filing=42'), 'feed.entry[0].id'],
    ['a time without an offset', feedText.replace('2023-07-11T12:51:30-04:00', '2023-07-11 12:51:30'), 'feed.entry[0].updated'],
    ['no link to the filing', feedText.replace(/<link rel="alternate" type="text\/html" href="[^"]*0001214659-23-009478-index.htm"\/>/, ''), 'feed.entry[0].link'],
    ['a title that names nobody', feedText.replace('424B2 - BANK OF MONTREAL /CAN/ (0000927971) (Filer)', '424B2'), 'feed.entry[0].title'],
  ])('%s is DOCUMENT_INVALID at the entry', (_what, xml, path) => {
    const e = errorOf(() => parseEdgarFeed(doc(xml)));
    expect(e.code).toBe('DOCUMENT_INVALID');
    expect(e.path).toBe(path);
  });

  it('an empty feed is a feed with no filings', () => {
    const empty = feedText.replace(/<entry>[\s\S]*<\/entry>/, '');
    expect(parseEdgarFeed(doc(empty)).filings).toEqual([]);
  });
});
