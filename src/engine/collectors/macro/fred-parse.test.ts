import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DocumentError, type SourceDocument } from '../document.js';
import { newObservations } from './fred.js';
import { parseFredObservations, parseFredSeries } from './fred-parse.js';

const DIR = fileURLToPath(new URL('../../../../test/fixtures/fred/', import.meta.url));
const load = (file: string): SourceDocument => ({ origin: `fixtures/fred/${file}`, body: readFileSync(DIR + file), contentType: 'application/json' });
const doc = (body: string | Uint8Array): SourceDocument => ({ origin: 'test://fred', body: typeof body === 'string' ? Buffer.from(body) : body });

function expectCode(run: () => unknown, code: DocumentError['code'], path?: string): DocumentError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DocumentError);
    expect((error as DocumentError).code).toBe(code);
    if (path !== undefined) expect((error as DocumentError).path).toBe(path);
    return error as DocumentError;
  }
  throw new Error(`expected a ${code} DocumentError`);
}

describe('parseFredObservations on every recorded FRED document', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

  it('has the three recorded series', () => {
    expect(files.sort()).toEqual(['jsprojectreal_employment.json', 'jsprojectreal_fedfunds.json', 'jsprojectreal_gdp.json']);
  });

  it.each(files)('%s: every row read, in order, count matching, vintages kept apart from dates', (file) => {
    const raw = JSON.parse(readFileSync(DIR + file, 'utf8')) as { count: number; observations: { date: string; value: string; realtime_start: string }[] };
    const page = parseFredObservations(load(file));
    expect(page.observations).toHaveLength(raw.observations.length);
    expect(page.count).toBe(raw.count);
    expect(page.transformation).toBe('lin');
    page.observations.forEach((o, i) => {
      const r = raw.observations[i]!;
      expect(o.date).toBe(r.date);
      expect(o.value).toBe(r.value === '.' ? null : r.value);
      expect(o.realtimeStart).toBe(r.realtime_start);
    });
  });

  it('keeps FEDFUNDS July 2023, published as ".", as missing: null, not 0 and not dropped', () => {
    const page = parseFredObservations(load('jsprojectreal_fedfunds.json'));
    const last = page.observations[page.observations.length - 1]!;
    expect(last).toMatchObject({ date: '2023-07-01', value: null, realtimeStart: '2023-07-18' });
    expect(page.observations.find((o) => o.date === '2023-06-01')?.value).toBe('5.08');
    expect(page.observations[0]).toMatchObject({ date: '1954-07-01', value: '0.80' });
  });

  it('keeps values exactly as written (GDP to the thousandth, payrolls in thousands)', () => {
    const gdp = parseFredObservations(load('jsprojectreal_gdp.json'));
    expect(gdp.observations.find((o) => o.date === '1999-01-01')?.value).toBe('9411.682');
    expect(gdp.observationEnd).toBe('2023-05-09');
    const jobs = parseFredObservations(load('jsprojectreal_employment.json'));
    expect(jobs.observations.find((o) => o.date === '2023-06-01')?.value).toBe('156204');
  });
});

describe('parseFredObservations on broken documents', () => {
  const good = readFileSync(DIR + 'jsprojectreal_gdp.json');

  it('truncated → DOCUMENT_MALFORMED', () => {
    expectCode(() => parseFredObservations(doc(good.subarray(0, good.length / 2))), 'DOCUMENT_MALFORMED');
    expectCode(() => parseFredObservations(doc('')), 'DOCUMENT_MALFORMED');
  });

  it('an HTML error page, an array, or another endpoint’s document → DOCUMENT_FORMAT', () => {
    expectCode(() => parseFredObservations(doc('<!DOCTYPE html><html><body>502</body></html>')), 'DOCUMENT_FORMAT');
    expectCode(() => parseFredObservations(doc('[1,2]')), 'DOCUMENT_FORMAT');
    expectCode(() => parseFredObservations(doc('{"realtime_start":"2023-01-01","seriess":[]}')), 'DOCUMENT_FORMAT');
    expectCode(() => parseFredObservations(doc('Service Unavailable')), 'DOCUMENT_FORMAT');
  });

  it('bytes that are not UTF-8 → DOCUMENT_ENCODING', () => {
    const bad = Buffer.concat([good.subarray(0, 50), Buffer.from([0xff, 0xfe, 0x80]), good.subarray(50)]);
    expectCode(() => parseFredObservations(doc(bad)), 'DOCUMENT_ENCODING');
  });

  it('a value that is neither a decimal nor "." → DOCUMENT_INVALID naming the row', () => {
    const json = JSON.parse(good.toString('utf8')) as { observations: { value: string; date: string }[] };
    json.observations[3]!.value = '9,526.21';
    const err = expectCode(() => parseFredObservations(doc(JSON.stringify(json))), 'DOCUMENT_INVALID', 'observations[3].value');
    expect(err.message).toContain('test://fred');
    json.observations[3]!.value = '1.0';
    json.observations[5]!.date = '2023-13-01';
    expectCode(() => parseFredObservations(doc(JSON.stringify(json))), 'DOCUMENT_INVALID', 'observations[5].date');
  });

  it('FRED’s error answer → DOCUMENT_INVALID with FRED’s explanation', () => {
    const err = expectCode(
      () => parseFredObservations(doc('{"error_code":400,"error_message":"Bad Request.  The series does not exist."}')),
      'DOCUMENT_INVALID',
    );
    expect(err.message).toContain('The series does not exist');
  });
});

describe('parseFredSeries', () => {
  // No recorded `fred/series` answer exists; this is the shape FRED documents for it (an array named `seriess`).
  const series = JSON.stringify({
    realtime_start: '2023-07-18',
    realtime_end: '2023-07-18',
    seriess: [{ id: 'FEDFUNDS', realtime_start: '2023-07-18', realtime_end: '2023-07-18', title: 'Federal Funds Effective Rate', observation_start: '1954-07-01', observation_end: '2023-06-01', frequency: 'Monthly', frequency_short: 'M', units: 'Percent', units_short: '%', seasonal_adjustment: 'Not Seasonally Adjusted', seasonal_adjustment_short: 'NSA', last_updated: '2023-07-03 15:18:02-05', popularity: 97 }],
  });

  it('reads the `seriess` array', () => {
    expect(parseFredSeries(doc(series))).toEqual([
      { id: 'FEDFUNDS', title: 'Federal Funds Effective Rate', units: 'Percent', unitsShort: '%', frequency: 'Monthly', seasonalAdjustment: 'NSA', lastUpdated: '2023-07-03 15:18:02-05' },
    ]);
  });

  it('refuses an observations document', () => {
    expectCode(() => parseFredSeries(load('jsprojectreal_gdp.json')), 'DOCUMENT_FORMAT');
  });
});

describe('newObservations', () => {
  const o = (date: string, value: string | null) => ({ date, value, realtimeStart: '2023-07-18', realtimeEnd: '2023-07-18' });

  it('reports a trailing missing value once, then again when FRED fills it in', () => {
    const first = newObservations([o('2023-05-01', '5.06'), o('2023-06-01', '5.08'), o('2023-07-01', null)], { last: null, missing: [] });
    expect(first.found.map((x) => x.date)).toEqual(['2023-05-01', '2023-06-01', '2023-07-01']);
    expect(first.next).toEqual({ last: '2023-06-01', missing: ['2023-07-01'] });

    const again = newObservations([o('2023-06-01', '5.08'), o('2023-07-01', null)], first.next);
    expect(again.found).toEqual([]);
    expect(again.next).toEqual(first.next);

    const filled = newObservations([o('2023-06-01', '5.08'), o('2023-07-01', '5.12'), o('2023-08-01', null)], again.next);
    expect(filled.found.map((x) => [x.date, x.value])).toEqual([['2023-07-01', '5.12'], ['2023-08-01', null]]);
    expect(filled.next).toEqual({ last: '2023-07-01', missing: ['2023-08-01'] });
  });
});
