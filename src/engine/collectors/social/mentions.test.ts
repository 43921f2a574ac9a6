import { describe, expect, it } from 'vitest';
import { UNIVERSE } from '../universe.js';
import { extractMentions, MentionIndex } from './mentions.js';
import { scoreSentiment, sentimentOf } from './sentiment.js';
import { decodeEntities, excerpt, htmlToText } from './text.js';

const SYMBOLS = UNIVERSE.map((i) => i.symbol);
const index = new MentionIndex([...SYMBOLS, 'A', 'IT', 'ALL', 'ON', 'BRK.B']);
const symbols = (text: string) => index.extract(text).map((m) => m.symbol);

describe('MentionIndex', () => {
  it('reads cashtags, and not dollar amounts', () => {
    expect(symbols('Loading $AAPL and $nvda, not $5 or $1.2B or $100k')).toEqual(['AAPL', 'NVDA']);
    expect(index.extract('$TSLA to the moon')[0]).toMatchObject({ symbol: 'TSLA', via: 'cashtag', index: 0 });
  });

  it('resolves a crypto cashtag, ticker or pair to the quoted symbol', () => {
    expect(symbols('$BTC pumping')).toEqual(['BTC-USD']);
    expect(symbols('ETH and SOL-USD both green')).toEqual(['ETH-USD', 'SOL-USD']);
    expect(symbols('$ETH-USD breaking out')).toEqual(['ETH-USD']);
  });

  it('takes bare tickers only when they are not also words', () => {
    expect(symbols('NVDA beat, AMD missed')).toEqual(['NVDA', 'AMD']);
    // A, IT, ALL, ON, MA, V are symbols here, but as bare words they are English.
    expect(symbols('IT IS ALL ON A roll, MA crossover, V shape')).toEqual([]);
    expect(symbols('bought $IT and $ON today, plus $A')).toEqual(['IT', 'ON', 'A']);
    // Lower case is never a ticker, and neither are handles, paths and words inside words.
    expect(symbols('msft @TSLA r/AMZN xAAPL AAPLx')).toEqual([]);
  });

  it('ignores capitals in shouted text, where every word is in capitals', () => {
    expect(symbols('BUY NOW BEFORE THE MARKET OPENS, AMD AND INTC')).toEqual([]);
    expect(symbols('BUY NOW BEFORE THE MARKET OPENS, $AMD')).toEqual(['AMD']);
  });

  it('finds names that mean one crypto asset, not words that also mean other things', () => {
    expect(symbols('Bitcoin and ethereum rallied; dogecoins too')).toEqual(['BTC-USD', 'ETH-USD', 'DOGE-USD']);
    expect(symbols('an avalanche of polygon shapes in the cosmos, a ripple')).toEqual([]);
    // A name only counts when its symbol is in the list.
    expect(extractMentions('bitcoin', ['AAPL'])).toEqual([]);
  });

  it('decodes HTML entities before reading', () => {
    expect(symbols('AT&amp;T vs &#36;MSFT &lt;3')).toEqual(['MSFT']);
  });

  it('reads dotted tickers and extra names', () => {
    expect(symbols('$BRK.B is cheap')).toEqual(['BRK.B']);
    const named = new MentionIndex(['NVDA'], { names: { nvidia: 'NVDA' } });
    expect(named.extract('Nvidia earnings')).toEqual([{ symbol: 'NVDA', via: 'name', index: 0 }]);
  });

  it('lists each symbol once, in order of first appearance', () => {
    expect(symbols('TSLA then $AAPL then $TSLA again, bitcoin, $BTC')).toEqual(['TSLA', 'AAPL', 'BTC-USD']);
  });
});

describe('sentiment', () => {
  it('is positive for bullish and negative for bearish text, within -1..1', () => {
    const bull = sentimentOf('Really bullish, loading up calls, this will rally to the moon 🚀');
    const bear = sentimentOf('Bearish. Guidance was weak and the stock will crash, buying puts');
    expect(bull).toBeGreaterThan(0.5);
    expect(bull).toBeLessThanOrEqual(1);
    expect(bear).toBeLessThan(-0.5);
    expect(bear).toBeGreaterThanOrEqual(-1);
  });

  it('flips a negated term', () => {
    expect(sentimentOf('bullish')).toBeGreaterThan(0);
    expect(sentimentOf('not bullish')).toBeLessThan(0);
    expect(sentimentOf("it won't crash")).toBeGreaterThan(0);
    // A negator reaches three words forward, no further.
    expect(sentimentOf('never said that it would crash')).toBeLessThan(0);
    // The negation ends with the clause.
    expect(sentimentOf('not sure. bullish')).toBeGreaterThan(0);
  });

  it('is zero when no term is found, and the same for the same text', () => {
    expect(scoreSentiment('The meeting is on Tuesday')).toEqual({ score: 0, terms: 0 });
    const text = 'Shorted into the close, risk/reward is ugly up here';
    expect(sentimentOf(text)).toBe(sentimentOf(text));
  });

  it('reads phrases before words', () => {
    expect(sentimentOf('a big sell-off')).toBeLessThan(0);
    expect(sentimentOf('earnings beat estimates')).toBeGreaterThan(sentimentOf('earnings beat'));
  });
});

describe('text', () => {
  it('decodes named, decimal and hex entities once', () => {
    expect(decodeEntities('&amp;lt; &eacute;&#233;&#xE9; &rsquo; &bogus; &#0;')).toBe('&lt; ééé \u2019 &bogus; \ufffd');
  });

  it('strips HTML to text with block breaks as spaces', () => {
    expect(htmlToText('<p>end.</p><p>Start &amp; <b>go</b></p><script>x()</script><!-- c -->')).toBe('end. Start & go');
  });

  it('cuts excerpts at a word boundary without splitting characters', () => {
    const long = `${'word '.repeat(200)}🚀`;
    const cut = excerpt(long, 50);
    expect(Array.from(cut).length).toBeLessThanOrEqual(50);
    expect(cut.endsWith('\u2026')).toBe(true);
    expect(excerpt('short', 50)).toBe('short');
  });
});
