/**
 * The news source end to end: the real collector and HTTP client against a server on 127.0.0.1 serving the
 * RSS and Atom fixtures byte for byte, with ETags, so the second poll is answered 304.
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeedSource } from '../src/engine/collectors/news/feeds.js';
import { UNIVERSE } from '../src/engine/collectors/universe.js';
import { readFixture, startFixtureServer, type FixtureServer } from './fixture-server.js';
import { rig, type Rig } from './social-news-harness.js';

const SYMBOLS = UNIVERSE.map((i) => i.symbol);

let server: FixtureServer;
let r: Rig;
beforeEach(async () => {
  server = await startFixtureServer();
  r = rig(Date.UTC(2024, 0, 2, 14, 30));
  server.file('/guardian.rss', 'rss_atom/rss-parser_guardian.rss', { contentType: 'application/rss+xml; charset=utf-8' });
  // A static server that calls every file UTF-8: the Latin-1 bytes are still read right.
  server.file('/uol.rss', 'rss_atom/rss-parser_uolNoticias.rss', { contentType: 'text/xml; charset=utf-8' });
  server.file('/heise.atom', 'rss_atom/rss-parser_heise.atom', { contentType: 'application/atom+xml' });
  const guardian = readFixture('rss_atom/rss-parser_guardian.rss');
  server.route('/broken.rss', { body: guardian.subarray(0, 40_000), headers: { 'content-type': 'application/rss+xml', etag: '"broken-1"' } });
});
afterEach(async () => {
  await server.close();
});

const source = () =>
  new FeedSource({
    feeds: [`${server.url}/guardian.rss`, { url: `${server.url}/uol.rss`, name: 'UOL', publisher: 'Grupo UOL' }, `${server.url}/heise.atom`, `${server.url}/broken.rss`, `${server.url}/gone.rss`],
    symbols: SYMBOLS,
  });

describe('FeedSource', () => {
  it('drafts every item once, answers 304 on the next poll, and repeats nothing after a restart', async () => {
    expect(await r.collector(source()).pollOnce()).toBe(true);
    const first = r.signals();
    const guids = new Set(first.map((e) => e.payload.body.guid));
    expect(guids.size).toBe(55 + 15 + 15);
    for (const e of first) expect(e.payload.kind).toBe('news');
    // Items that name no instrument are kept, for entity resolution downstream.
    expect(first.filter((e) => e.payload.instrument === null).length).toBeGreaterThan(0);

    const uol = first.find((e) => e.payload.body.feed === 'UOL' && String(e.payload.body.title).startsWith('Ibope: Bolsonaro perde'))!;
    expect(uol.payload.body).toMatchObject({
      title: 'Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em simulações de 2º turno',
      publisher: 'Grupo UOL',
      feedUrl: `${server.url}/uol.rss`,
      link: 'https://noticias.uol.com.br/politica/eleicoes/2018/noticias/2018/09/24/ibope-bolsonaro-perde-de-haddad-ciro-e-alckmin-em-simulacoes-de-2-turno.htm',
    });
    expect(uol.tsEvent).toBe(Date.UTC(2018, 8, 24, 22, 42, 40));
    expect(uol.payload.externalId).toBe(uol.payload.body.guid);
    const heise = first.find((e) => e.payload.body.guid === 'http://heise.de/-3088438')!;
    expect(heise.payload.body).toMatchObject({ feed: 'heise developer neueste Meldungen', publisher: 'heise online', updatedAt: Date.parse('2016-02-01T16:54:50Z') });

    // The truncated feed and the missing one are dead-lettered; the others went on.
    const dead = r.deadLetters().map((d) => d.payload);
    expect(dead).toHaveLength(2);
    expect(dead.find((d) => (d.source as { origin: string }).origin.endsWith('/broken.rss'))!.error).toMatch(/not well-formed XML/);
    expect(dead.find((d) => (d.source as { origin: string }).origin.endsWith('/gone.rss'))!.error).toMatch(/HTTP 404/);

    // Second poll: validators sent, 304s, nothing new.
    r.clock.advance(300_000);
    const again = r.collector(source()); // a restart: new source and collector, the same cursor store
    expect(await again.pollOnce()).toBe(true);
    const second = server.requestsTo('/guardian.rss')[1]!;
    // The fixture server's ETag is the SHA-1 of the bytes; it answers 304 when it comes back.
    expect(second.headers['if-none-match']).toBe(`"${sha1('rss_atom/rss-parser_guardian.rss')}"`);
    expect(r.signals()).toHaveLength(first.length);
    // The broken copy is asked for with its ETag too, and not dead-lettered again.
    expect(server.requestsTo('/broken.rss')[1]!.headers['if-none-match']).toBe('"broken-1"');
  });

  it('turns only new items of a changed feed into drafts, one per instrument mentioned', async () => {
    const c = r.collector(source());
    expect(await c.pollOnce()).toBe(true);
    const before = r.signals().length;

    const original = readFixture('rss_atom/rss-parser_guardian.rss').toString('utf8');
    const added = `<item><title>Nvidia (NVDA) and AMD shares jump after record quarter</title><link>https://www.theguardian.com/business/2024/jan/02/chips</link><description>&lt;p&gt;Chip makers &lt;b&gt;rallied&lt;/b&gt; on strong demand&lt;/p&gt;</description><pubDate>Tue, 02 Jan 2024 13:00:00 GMT</pubDate><guid>https://www.theguardian.com/business/2024/jan/02/chips</guid></item>`;
    server.route('/guardian.rss', { body: original.replace('<item>', `${added}<item>`), headers: { 'content-type': 'application/rss+xml; charset=utf-8', etag: '"guardian-2"' } });
    expect(await c.pollOnce()).toBe(true);

    const fresh = r.signals().slice(before);
    expect(fresh.map((e) => [e.payload.externalId, e.payload.instrument])).toEqual([
      ['https://www.theguardian.com/business/2024/jan/02/chips:NVDA', 'NVDA'],
      ['https://www.theguardian.com/business/2024/jan/02/chips:AMD', 'AMD'],
    ]);
    expect(fresh[0]!.payload.body).toMatchObject({ summary: 'Chip makers rallied on strong demand', feed: 'The Guardian' });
    expect(fresh[0]!.payload.body.sentiment as number).toBeGreaterThan(0);
    expect(fresh[0]!.tsEvent).toBe(Date.UTC(2024, 0, 2, 13));
  });
});

function sha1(fixture: string): string {
  return createHash('sha1').update(readFixture(fixture)).digest('hex');
}
