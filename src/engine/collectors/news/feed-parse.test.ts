import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR, readFixture } from '../../../../test/fixture-server.js';
import { DocumentError, type SourceDocument } from '../document.js';
import { parseFeed } from './feed-parse.js';

const doc = (body: Uint8Array | string, contentType: string | null = null, origin = 'http://127.0.0.1/feed'): SourceDocument => ({
  origin,
  body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
  contentType,
});
const feedOf = (name: string, contentType: string | null = null) => parseFeed(doc(readFixture(`rss_atom/${name}`), contentType, `fixture:${name}`));

function documentError(fn: () => unknown): DocumentError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DocumentError);
    return err as DocumentError;
  }
  throw new Error('expected a DocumentError');
}

describe('parseFeed on every file of test/fixtures/rss_atom', () => {
  const expected: Record<string, { format: string; items: number }> = {
    'rss-parser_encoding.rss': { format: 'rss', items: 40 },
    'rss-parser_guardian.rss': { format: 'rss', items: 55 },
    'rss-parser_heise.atom': { format: 'atom', items: 15 },
    'rss-parser_reddit.rss': { format: 'rss', items: 24 },
    'rss-parser_uolNoticias.rss': { format: 'rss', items: 15 },
  };

  it('parses each one, every item with an id, a title and a date', () => {
    const files = readdirSync(`${FIXTURES_DIR}rss_atom`).sort();
    expect(files).toEqual(Object.keys(expected).sort());
    for (const file of files) {
      const feed = feedOf(file);
      expect({ file, format: feed.format, items: feed.items.length }).toEqual({ file, ...expected[file] });
      for (const item of feed.items) {
        expect(item.id, file).not.toBe('');
        expect(item.title, file).not.toBe('');
        expect(item.publishedMs, `${file}: ${item.title}`).not.toBeNull();
        // Text, not markup or entities.
        expect(item.summary, file).not.toMatch(/<\/?[a-z]+[\s>/]|&(?:lt|gt|amp|quot|#\d+);/i);
      }
    }
  });

  it('uolNoticias: Latin-1 without a declaration, CDATA, Portuguese dates', () => {
    const feed = feedOf('rss-parser_uolNoticias.rss');
    const first = feed.items[0]!;
    expect(first.title).toBe('Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em simulações de 2º turno');
    expect(first.link).toBe('https://noticias.uol.com.br/politica/eleicoes/2018/noticias/2018/09/24/ibope-bolsonaro-perde-de-haddad-ciro-e-alckmin-em-simulacoes-de-2-turno.htm');
    // "Seg, 24 Set 2018 19:42:40 -0300"
    expect(first.publishedMs).toBe(Date.UTC(2018, 8, 24, 22, 42, 40));
    expect(first.summary).toMatch(/^Líder na pesquisa Ibope de intenção de voto/);
    expect(first.idFrom).toBe('link');
    // The same bytes served with a Content-Type that wrongly says UTF-8 read the same.
    expect(feedOf('rss-parser_uolNoticias.rss', 'application/rss+xml; charset=utf-8').items[0]!.title).toBe(first.title);
  });

  it('encoding.rss: declared ISO-8859-1, CRLF, FeedBurner links', () => {
    const feed = feedOf('rss-parser_encoding.rss');
    expect(feed.title).toBe('Jornal de Notícias - Últimas Notícias');
    expect(feed.language).toBe('pt-pt');
    const first = feed.items[0]!;
    expect(first.title).toBe('Mãe de utente é a nova presidente da Raríssimas');
    expect(first.link).toBe('https://www.jn.pt/nacional/interior/sonia-laig-e-a-nova-presidente-da-rarissimas-9021600.html');
    expect(first.publishedMs).toBe(Date.UTC(2018, 0, 3, 13, 47, 0));
    expect(first.summary).toBe(
      'Sónia Laygue, profissional na área da Recursos Humanos e mãe de uma criança de três anos, utente na Casa dos Marcos, é a nova presidente da direção da Raríssimas.',
    );
    expect(first.categories).toEqual(['Nacional']);
  });

  it('guardian: escaped HTML descriptions, dc:creator, pubDate agreeing with dc:date', () => {
    const feed = feedOf('rss-parser_guardian.rss');
    const first = feed.items[0]!;
    expect(first).toMatchObject({
      title: 'Trump State of the Union address promised unity but emphasized discord',
      id: 'https://www.theguardian.com/us-news/2018/jan/31/donald-trump-state-of-the-union-address-unity-discord',
      idFrom: 'guid',
      author: 'David Smith in Washington',
      publishedMs: Date.parse('2018-01-31T07:26:05Z'),
    });
    expect(first.summary).toMatch(/^The president’s ‘new American moment’ speech stirred Republican applause/);
    expect(first.categories).toContain('State of the Union address');
    expect(feed.items.some((i) => i.summary.includes('Chas & Dave action'))).toBe(true);
  });

  it('heise: Atom with several links (alternate chosen), offsets, html summaries', () => {
    const feed = feedOf('rss-parser_heise.atom');
    expect(feed.link).toBe('http://www.heise.de/developer/');
    expect(feed.publisher).toBe('heise online');
    const first = feed.items[0]!;
    expect(first).toMatchObject({
      id: 'http://heise.de/-3088438',
      title: 'Java-Anwendungsserver: Red Hat gibt WildFly 10 frei',
      link: 'http://www.heise.de/developer/meldung/Java-Anwendungsserver-Red-Hat-gibt-WildFly-10-frei-3088438.html?wt_mc=rss.developer.beitrag.atom',
      publishedMs: Date.parse('2016-02-01T16:22:00Z'),
      updatedMs: Date.parse('2016-02-01T16:54:50Z'),
    });
    expect(first.summary).toMatch(/^Die nun verfügbare Version 10/);
    expect(feed.items.some((i) => i.summary.includes('"Klasse"'))).toBe(true);
  });

  it('reddit.rss: a one-line file with doubly escaped entities', () => {
    const feed = feedOf('rss-parser_reddit.rss');
    expect(feed.items[0]).toMatchObject({ title: 'The water is too deep, so he improvises', categories: ['funny'], publishedMs: Date.parse('2015-11-12T21:16:39Z') });
    expect(feed.items[0]!.summary).toContain('submitted by cakebeerandmorebeer to funny');
    expect(feed.items[1]!.summary).toMatch(/^It's Aziz Ansari\. I'm here to chat/);
  });
});

describe('parseFeed on broken documents', () => {
  const guardian = readFixture('rss_atom/rss-parser_guardian.rss');

  it('truncated: DOCUMENT_MALFORMED naming the place', () => {
    const err = documentError(() => parseFeed(doc(guardian.subarray(0, 70_000))));
    expect(err.code).toBe('DOCUMENT_MALFORMED');
    expect(err.path).toMatch(/^line \d+, column \d+$/);
    expect(documentError(() => parseFeed(doc('   '))).code).toBe('DOCUMENT_MALFORMED');
  });

  it('wrong format: HTML, JSON, text or another XML vocabulary', () => {
    expect(documentError(() => parseFeed(doc('<!DOCTYPE html><html><body>Moved</body></html>'))).code).toBe('DOCUMENT_FORMAT');
    expect(documentError(() => parseFeed(doc(readFixture('reddit/go-reddit_subreddit_posts.json')))).code).toBe('DOCUMENT_FORMAT');
    expect(documentError(() => parseFeed(doc('Service Unavailable'))).code).toBe('DOCUMENT_FORMAT');
    const form4 = documentError(() => parseFeed(doc(readFixture('sec_form4/edgar_client_form4_msft_2022.xml'))));
    expect(form4).toMatchObject({ code: 'DOCUMENT_FORMAT', path: 'ownershipDocument' });
  });

  it('wrongly encoded: Latin-1 bytes under a UTF-8 declaration', () => {
    const latin1 = readFixture('rss_atom/rss-parser_encoding.rss');
    const relabelled = Buffer.from(latin1.toString('latin1').replace('encoding="ISO-8859-1"', 'encoding="UTF-8"'), 'latin1');
    expect(documentError(() => parseFeed(doc(relabelled))).code).toBe('DOCUMENT_ENCODING');
  });

  it('invalid: RSS without a channel', () => {
    expect(documentError(() => parseFeed(doc('<rss version="2.0"><item><title>x</title></item></rss>')))).toMatchObject({ code: 'DOCUMENT_INVALID', path: 'rss.channel' });
  });
});

describe('parseFeed on small cases', () => {
  it('forces one-item lists to arrays, escapes bare ampersands, keeps CDATA and text in order', () => {
    const feed = parseFeed(
      doc('<rss version="2.0"><channel><title>AT&T news</title><item><title>Q3: <![CDATA[<b>AT&T</b>]]> beats &amp; rises</title><guid isPermaLink="false">42</guid><pubDate>Tue, 10 Oct 2023 12:00:00 GMT</pubDate></item></channel></rss>'),
    );
    expect(feed.title).toBe('AT&T news');
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]).toMatchObject({ id: '42', idFrom: 'guid', title: 'Q3: AT&T beats & rises', link: null });
  });

  it('reads content:encoded when there is no description, and refuses nesting beyond reason', () => {
    const feed = parseFeed(
      doc('<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>C</title><item><title>T</title><link>https://example.org/t</link><content:encoded><![CDATA[<p>Shares of <a href="/x">$AAPL</a> rose&nbsp;3%</p>]]></content:encoded></item></channel></rss>'),
    );
    expect(feed.items[0]).toMatchObject({ summary: 'Shares of $AAPL rose 3%', content: 'Shares of $AAPL rose 3%', idFrom: 'link', publishedMs: null });
    const deep = `<rss><channel><title>D</title>${'<x>'.repeat(500)}${'</x>'.repeat(500)}</channel></rss>`;
    expect(documentError(() => parseFeed(doc(deep))).code).toBe('DOCUMENT_MALFORMED');
  });

  it('reads Atom xhtml content, relative links and RSS 1.0', () => {
    const atom = parseFeed(
      doc('<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><id>urn:1</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">A <b>bold</b> move</div></title><link rel="self" href="/self"/><link href="/a/1"/><updated>2020-01-01T00:00:00Z</updated></entry></feed>', null, 'https://example.org/feed'),
    );
    expect(atom.items[0]).toMatchObject({ title: 'A bold move', link: 'https://example.org/a/1' });
    const rdf = parseFeed(
      doc('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="x"><title>R</title></channel><item rdf:about="https://example.org/1"><title>One</title><dc:date>2020-01-02T03:04:05Z</dc:date></item></rdf:RDF>'),
    );
    expect(rdf).toMatchObject({ format: 'rdf', title: 'R', items: [{ id: 'https://example.org/1', title: 'One', publishedMs: Date.parse('2020-01-02T03:04:05Z') }] });
  });
});
