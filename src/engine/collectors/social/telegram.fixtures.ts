/**
 * Telegram Bot API `getUpdates` answers for tests. No recorded Telegram document is available to the
 * project: these are shaped after the Bot API reference (core.telegram.org/bots/api: Update, Message,
 * Chat, User, MessageEntity), field for field, not recorded.
 */

/** A channel post with a `cashtag` entity. Entity offsets count UTF-16 code units. */
export function channelPost(updateId: number, messageId: number, text: string, date = 1_715_608_800) {
  const entities = [...text.matchAll(/\$[A-Z]{1,6}/g)].map((m) => ({ type: 'cashtag', offset: m.index, length: m[0].length }));
  return {
    update_id: updateId,
    channel_post: {
      message_id: messageId,
      sender_chat: { id: -1001234567890, title: 'Market Desk', username: 'marketdesk', type: 'channel' },
      chat: { id: -1001234567890, title: 'Market Desk', username: 'marketdesk', type: 'channel' },
      date,
      author_signature: 'Ana',
      text,
      ...(entities.length ? { entities } : {}),
    },
  };
}

/** A group message with a photo caption. */
export function groupPhoto(updateId: number, messageId: number, caption: string, date = 1_715_608_860) {
  const entities = [...caption.matchAll(/\$[A-Z]{1,6}/g)].map((m) => ({ type: 'cashtag', offset: m.index, length: m[0].length }));
  return {
    update_id: updateId,
    message: {
      message_id: messageId,
      from: { id: 777000111, is_bot: false, first_name: 'Ben', username: 'ben_trades', language_code: 'en' },
      chat: { id: -4012345678, title: 'Traders', type: 'group', all_members_are_administrators: true },
      date,
      photo: [{ file_id: 'AgACAgQAAxkBAAIB', file_unique_id: 'AQADs7kxG', file_size: 1234, width: 90, height: 67 }],
      caption,
      ...(entities.length ? { caption_entities: entities } : {}),
    },
  };
}

/** An update of a kind the source does not read (the bot added to a chat). */
export function memberUpdate(updateId: number) {
  return {
    update_id: updateId,
    my_chat_member: {
      chat: { id: -4012345678, title: 'Traders', type: 'group' },
      from: { id: 777000111, is_bot: false, first_name: 'Ben' },
      date: 1_715_608_700,
      old_chat_member: { user: { id: 600000001, is_bot: true, first_name: 'Vanta' }, status: 'left' },
      new_chat_member: { user: { id: 600000001, is_bot: true, first_name: 'Vanta' }, status: 'member' },
    },
  };
}

export const updates = (...result: unknown[]) => ({ ok: true, result });
