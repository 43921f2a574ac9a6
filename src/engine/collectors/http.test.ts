import { describe, expect, it } from 'vitest';
import { HttpError, redactText, redactUrl } from './http.js';

describe('redactUrl', () => {
  it.each([
    ['https://api.stlouisfed.org/fred/series/observations?series_id=GDP&api_key=0123456789abcdef&file_type=json',
      'https://api.stlouisfed.org/fred/series/observations?series_id=GDP&api_key=***&file_type=json'],
    ['https://api.tradier.com/v1/markets/quotes?symbols=AAPL&access_token=tok123456',
      'https://api.tradier.com/v1/markets/quotes?symbols=AAPL&access_token=***'],
    ['https://www.reddit.com/api/v1/access_token?client_secret=s3cr3t&grant_type=client_credentials',
      'https://www.reddit.com/api/v1/access_token?client_secret=***&grant_type=client_credentials'],
    ['https://api.telegram.org/bot123456:AAH-token_value/getUpdates?offset=5', 'https://api.telegram.org/bot***/getUpdates?offset=5'],
    ['https://user:hunter22@rpc.example.test/', 'https://***@rpc.example.test/'],
    ['https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent&output=atom', 'https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent&output=atom'],
  ])('%s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it('removes literal secrets anywhere, and leaves what is not a URL alone otherwise', () => {
    expect(redactUrl('https://mainnet.infura.io/v3/0123456789abcdef0123', ['0123456789abcdef0123'])).toBe(
      'https://mainnet.infura.io/v3/***',
    );
    expect(redactUrl('file.xml')).toBe('file.xml');
  });
});

describe('redactText', () => {
  it('redacts URLs inside text, bearer tokens and literal secrets', () => {
    const text =
      'GET https://api.stlouisfed.org/x?api_key=abcdef123456 failed; sent Authorization: Bearer AAAA-bbbb-cccc; key sk-live-123456';
    const out = redactText(text, ['sk-live-123456']);
    expect(out).toBe('GET https://api.stlouisfed.org/x?api_key=*** failed; sent Authorization: Bearer ***; key ***');
  });

  it('ignores secrets too short to be credentials', () => {
    expect(redactText('a normal sentence', ['a', 'nor'])).toBe('a normal sentence');
  });
});

describe('HttpError', () => {
  it('keeps its code, status, URL and the Retry-After it was told', () => {
    const err = new HttpError('HTTP_STATUS', 'GET x answered 429', 'x', 429, { retryAfterMs: 2000 });
    expect(err).toMatchObject({ name: 'HttpError', code: 'HTTP_STATUS', status: 429, url: 'x', retryAfterMs: 2000 });
  });
});
