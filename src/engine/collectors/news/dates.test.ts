import { describe, expect, it } from 'vitest';
import { parseFeedDate, parseIsoDate, parseRfc822Date } from './dates.js';

const at = (iso: string) => Date.parse(iso);

describe('parseRfc822Date', () => {
  it.each([
    ['Wed, 31 Jan 2018 20:15:15 GMT', '2018-01-31T20:15:15Z'],
    ['Thu, 12 Nov 2015 21:16:39 +0000', '2015-11-12T21:16:39Z'],
    // Portuguese day and month names (UOL), and a Portuguese long form.
    ['Seg, 24 Set 2018 19:42:40 -0300', '2018-09-24T22:42:40Z'],
    ['24 de setembro de 2018 19:42 -03:00', '2018-09-24T22:42:00Z'],
    // German, French, Spanish, Italian, Dutch.
    ['Mo, 01 Feb 2016 17:54:50 +0100', '2016-02-01T16:54:50Z'],
    ['Di, 03 Mär 2020 08:00:00 MEZ', '2020-03-03T07:00:00Z'],
    ['mer., 24 déc. 2014 10:00:00 +0100', '2014-12-24T09:00:00Z'],
    ['Lun, 05 Ene 2015 10:00:00 +0000', '2015-01-05T10:00:00Z'],
    ['Gio, 12 Ott 2017 09:15:00 +0200', '2017-10-12T07:15:00Z'],
    ['wo, 15 mei 2019 12:00:00 +0200', '2019-05-15T10:00:00Z'],
    // Odd forms: trailing line break, no seconds, two-digit year, no weekday, US zone names, month first.
    ['Wed, 03 Jan 2018 13:47:00 GMT\r\n      ', '2018-01-03T13:47:00Z'],
    ['Wed, 03 Jan 2018 13:47 EST', '2018-01-03T18:47:00Z'],
    ['03 Jan 18 13:47:00 PDT', '2018-01-03T20:47:00Z'],
    ['Sep 24, 2018 19:42:40 -0300', '2018-09-24T22:42:40Z'],
    ['Mon Sep 24 2018 19:42:40 GMT-0300 (BRT)', '2018-09-24T22:42:40Z'],
    ['3 Jan 2018', '2018-01-03T00:00:00Z'],
  ])('%j', (text, iso) => {
    expect(parseRfc822Date(text)).toBe(at(iso));
  });

  it.each(['31 Feb 2018 10:00:00 GMT', '24 Foo 2018 10:00 GMT', 'yesterday', '', '24 Sep 2018 25:00 GMT', '24 Sep 2018 10:00 +2500'])(
    'refuses %j',
    (text) => expect(parseRfc822Date(text)).toBeNull(),
  );
});

describe('parseIsoDate', () => {
  it.each([
    ['2018-01-31T20:15:15Z', '2018-01-31T20:15:15Z'],
    ['2016-02-01T17:54:50+01:00', '2016-02-01T16:54:50Z'],
    ['2016-02-01T17:54:50.250+0100', '2016-02-01T16:54:50.250Z'],
    ['2018-01-31', '2018-01-31T00:00:00Z'],
    ['2018-01-31 20:15', '2018-01-31T20:15:00Z'],
  ])('%j', (text, iso) => expect(parseIsoDate(text)).toBe(at(iso)));

  it('refuses impossible dates', () => {
    expect(parseIsoDate('2018-02-30T00:00:00Z')).toBeNull();
    expect(parseIsoDate('2018-13-01')).toBeNull();
  });
});

describe('parseFeedDate', () => {
  it('reads either form, and null for nothing', () => {
    expect(parseFeedDate('2018-01-31T07:26:05Z')).toBe(parseFeedDate('Wed, 31 Jan 2018 07:26:05 GMT'));
    expect(parseFeedDate(null)).toBeNull();
    expect(parseFeedDate('soon')).toBeNull();
  });
});
