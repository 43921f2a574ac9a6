import { describe, expect, it } from 'vitest';
import { DocumentError, type SourceDocument } from '../document.js';
import { parseUpdates } from './telegram.js';
import { channelPost, groupPhoto, memberUpdate, updates } from './telegram.fixtures.js';

const doc = (value: unknown): SourceDocument => ({
  origin: 'http://127.0.0.1/bot***/getUpdates',
  body: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
  contentType: 'application/json',
});

describe('parseUpdates', () => {
  it('reads channel posts and group captions with their cashtag entities, and counts every update id', () => {
    const parsed = parseUpdates(doc(updates(memberUpdate(500), channelPost(501, 90, '📈 $NVDA and $AMD up'), groupPhoto(502, 12, 'chart of $TSLA'))));
    expect(parsed.updateIds).toEqual([500, 501, 502]);
    expect(parsed.invalid).toEqual([]);
    expect(parsed.messages).toHaveLength(2);
    expect(parsed.messages[0]).toMatchObject({
      updateType: 'channel_post',
      messageId: 90,
      chatUsername: 'marketdesk',
      author: 'Ana',
      dateMs: 1_715_608_800_000,
      // The emoji takes two UTF-16 units: the offsets still land on the tags.
      cashtags: ['$NVDA', '$AMD'],
    });
    expect(parsed.messages[1]).toMatchObject({ updateType: 'message', author: 'ben_trades', authorId: 777000111, text: 'chart of $TSLA', cashtags: ['$TSLA'] });
  });

  it('keeps an unreadable message apart, as its own document, and reads the rest', () => {
    const bad = channelPost(601, 91, 'hi') as any;
    delete bad.channel_post.chat;
    const parsed = parseUpdates(doc(updates(bad, channelPost(602, 92, '$AAPL'))));
    expect(parsed.updateIds).toEqual([601, 602]);
    expect(parsed.messages.map((m) => m.messageId)).toEqual([92]);
    expect(parsed.invalid[0]!.updateId).toBe(601);
    expect(parsed.invalid[0]!.error).toMatchObject({ code: 'DOCUMENT_INVALID', path: '$.result[0].channel_post.chat' });
    expect(JSON.parse(Buffer.from(parsed.invalid[0]!.document.body).toString()).update_id).toBe(601);
  });

  it('rejects error answers and what is not a Bot API answer', () => {
    const unauthorized = () => parseUpdates(doc({ ok: false, error_code: 401, description: 'Unauthorized' }));
    expect(unauthorized).toThrow(DocumentError);
    expect(unauthorized).toThrow(/401: Unauthorized/);
    expect(() => parseUpdates(doc('<html>bad gateway</html>'))).toThrow(expect.objectContaining({ code: 'DOCUMENT_FORMAT' }));
    expect(() => parseUpdates(doc('{"ok":true,"result":[{"update_id":1,'))).toThrow(expect.objectContaining({ code: 'DOCUMENT_MALFORMED' }));
    expect(() => parseUpdates(doc({ ok: true, result: [{ update_id: '1' }] }))).toThrow(expect.objectContaining({ code: 'DOCUMENT_INVALID', path: '$.result[0].update_id' }));
  });
});
