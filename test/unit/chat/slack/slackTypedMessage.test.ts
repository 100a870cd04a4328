// Which Events API events are a person typing a command to the bot, and what the command is.
import { slackTypedMessage } from '../../../../src/chat/slack/slackTypedMessage.js';

const BOT = 'UBOT';
const mention = (text: string, extra: Record<string, unknown> = {}) => ({
  type: 'app_mention',
  user: 'UOPS',
  text,
  ts: '1700000000.000100',
  channel: 'CGENERAL',
  event_ts: '1700000000.000100',
  ...extra,
});
const dm = (text: string, extra: Record<string, unknown> = {}) => ({
  type: 'message',
  channel_type: 'im',
  user: 'UOPS',
  text,
  ts: '1700000001.000200',
  channel: 'DOPS',
  ...extra,
});

describe('slackTypedMessage', () => {
  it('reads a mention: the bot’s mention removed, answered in a new thread under the message', () => {
    expect(slackTypedMessage(mention('<@UBOT> validate acme'), BOT)).toEqual({
      kind: 'mention',
      user: 'UOPS',
      channel: 'CGENERAL',
      text: 'validate acme',
      threadTs: '1700000000.000100',
    });
  });

  it('answers a mention inside a thread in that thread', () => {
    const typed = slackTypedMessage(mention('<@UBOT> status', { thread_ts: '1699999999.000001' }), BOT);
    expect(typed?.threadTs).toBe('1699999999.000001');
  });

  it('removes every mention of the bot (with a label too) and keeps other people’s', () => {
    const typed = slackTypedMessage(mention('<@UBOT|autotask> grant <@UDANA|dana> approver <@UBOT>'), BOT);
    expect(typed?.text).toBe('grant <@UDANA|dana> approver');
  });

  it('reads a bare mention as the empty command (the router answers with help)', () => {
    expect(slackTypedMessage(mention('<@UBOT>'), BOT)?.text).toBe('');
    expect(slackTypedMessage(mention('  <@UBOT|autotask>  '), BOT)?.text).toBe('');
  });

  it('reads a direct message as typed, answered in the conversation (its thread only if it had one)', () => {
    expect(slackTypedMessage(dm('validate acme'), BOT)).toEqual({
      kind: 'direct',
      user: 'UOPS',
      channel: 'DOPS',
      text: 'validate acme',
      threadTs: undefined,
    });
    expect(slackTypedMessage(dm('status', { thread_ts: '1.2' }), BOT)?.threadTs).toBe('1.2');
  });

  it('takes a thread reply also sent to the conversation as a new message', () => {
    expect(slackTypedMessage(dm('status', { subtype: 'thread_broadcast' }), BOT)?.text).toBe('status');
  });

  it.each([
    ['an edit', dm('validate acme', { subtype: 'message_changed' })],
    ['a delete', dm('', { subtype: 'message_deleted' })],
    ['a bot message', dm('validate acme', { subtype: 'bot_message', bot_id: 'BOTHER' })],
    ['another app’s message without a subtype', dm('validate acme', { bot_id: 'BOTHER' })],
    ['the bot’s own message', dm('validate acme', { user: BOT })],
    ['a channel message (not a DM)', dm('validate acme', { channel_type: 'channel' })],
    ['a message with no user', dm('validate acme', { user: undefined })],
    ['another event type', { ...dm('hi'), type: 'reaction_added' }],
    ['an event without a channel', { ...mention('<@UBOT> status'), channel: undefined }],
    ['not an object', 'validate acme'],
  ])('ignores %s', (_what, event) => {
    expect(slackTypedMessage(event, BOT)).toBeUndefined();
  });
});
