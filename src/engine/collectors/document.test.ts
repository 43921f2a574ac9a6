import { describe, expect, it } from 'vitest';
import { DocumentError, deadLetterOf, decodeText, type SourceDocument } from './document.js';

const doc = (body: Uint8Array | string, contentType?: string): SourceDocument => ({
  origin: 'http://127.0.0.1/feed',
  body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
  contentType: contentType ?? null,
});

describe('decodeText', () => {
  it('follows the XML declaration, the Content-Type charset, and a byte-order mark', () => {
    const latin1 = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><t>'), Buffer.from([0xe9]), Buffer.from('</t>')]);
    expect(decodeText(doc(latin1))).toContain('<t>é</t>');
    expect(decodeText(doc(Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'text/plain; charset=iso-8859-1'))).toBe('café');
    expect(decodeText(doc(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('ünï')])))).toBe('ünï');
    expect(decodeText(doc(Buffer.from([0xff, 0xfe, 0x41, 0x00, 0xe9, 0x00])))).toBe('Aé');
  });

  it('reads undeclared non-UTF-8 bytes as Windows-1252', () => {
    expect(decodeText(doc(Buffer.from([0x93, 0x68, 0x69, 0x94])))).toBe('\u201chi\u201d');
  });

  it('rejects bytes invalid in the declared encoding, and unknown encodings, with DOCUMENT_ENCODING', () => {
    const bad = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="UTF-8"?><t>'), Buffer.from([0xe9, 0x28]), Buffer.from('</t>')]);
    expect(() => decodeText(doc(bad))).toThrow(DocumentError);
    expect(() => decodeText(doc(bad))).toThrow(/not valid utf-8/i);
    try {
      decodeText(doc('<?xml version="1.0" encoding="x-klingon"?><t/>'));
      expect.fail('decoded an unknown encoding');
    } catch (err) {
      expect(err).toMatchObject({ code: 'DOCUMENT_ENCODING', origin: 'http://127.0.0.1/feed' });
    }
  });
});

describe('deadLetterOf', () => {
  it('keeps the exact bytes of the document with the error', () => {
    const body = Buffer.from([0x3c, 0x61, 0xff, 0x00]);
    const letter = deadLetterOf('sec-edgar', doc(body, 'application/xml'), new DocumentError('DOCUMENT_MALFORMED', 'truncated', 'x', 'a.b'));
    expect(letter.stage).toBe('sec-edgar');
    expect(letter.error).toBe('x: a.b: truncated');
    expect(Buffer.from(letter.source.bodyBase64, 'base64').equals(body)).toBe(true);
    expect(letter.source.contentType).toBe('application/xml');
  });
});
