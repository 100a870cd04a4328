// Requests as Slack sends them to /slack/events, signed in the test with the configured signing
// secret: slash commands, block_actions clicks, block_suggestion (options) lookups and events.
import { createHmac } from 'node:crypto';

/** what Slack sends in X-Slack-Signature: HMAC-SHA256 over `v0:<timestamp>:<raw body>` */
export function computeSlackSignature(
  signingSecret: string,
  timestamp: string,
  body: string | Buffer,
): string {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(body);
  return `v0=${hmac.digest('hex')}`;
}

let sequence = 0;
const unique = () => `${Date.now()}.${++sequence}`;

export interface SlackUser {
  team: string;
  user: string;
}

export async function postSigned(
  url: string,
  body: string,
  options: { secret: string; timestamp?: string; headers?: Record<string, string>; contentType?: string },
): Promise<{ status: number; text: string }> {
  const timestamp = options.timestamp ?? String(Math.floor(Date.now() / 1000));
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': computeSlackSignature(options.secret, timestamp, body),
      ...options.headers,
    },
    body,
  });
  return { status: response.status, text: await response.text() };
}

export function slashCommandBody(input: {
  who: SlackUser;
  text: string;
  responseUrl: string;
  channel?: string;
}): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: input.who.team,
    team_domain: 'partner',
    channel_id: input.channel ?? 'CGENERAL',
    channel_name: input.channel === 'CNOTIFY' ? 'billing' : 'general',
    user_id: input.who.user,
    user_name: input.who.user.toLowerCase(),
    command: '/autotask',
    text: input.text,
    api_app_id: 'A0AUTOTASK',
    response_url: input.responseUrl,
    trigger_id: `trigger.${unique()}`,
  }).toString();
}

export type SlackAction =
  | { type: 'button'; action_id: string; value: string; block_id?: string }
  | {
      type: 'static_select' | 'external_select';
      action_id: string;
      block_id: string;
      selected_option: { value: string };
    };

export function blockActionBody(input: {
  who: SlackUser;
  action: SlackAction;
  responseUrl: string;
  messageTs: string;
  channel?: string;
  actionTs?: string;
}): string {
  const payload = {
    type: 'block_actions',
    team: { id: input.who.team, domain: 'partner' },
    user: {
      id: input.who.user,
      username: input.who.user.toLowerCase(),
      name: input.who.user.toLowerCase(),
      team_id: input.who.team,
    },
    api_app_id: 'A0AUTOTASK',
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: input.messageTs,
      channel_id: input.channel ?? 'CNOTIFY',
      is_ephemeral: false,
    },
    trigger_id: `trigger.${unique()}`,
    channel: { id: input.channel ?? 'CNOTIFY', name: 'billing' },
    message: { type: 'message', ts: input.messageTs, text: 'card' },
    response_url: input.responseUrl,
    actions: [{ ...input.action, action_ts: input.actionTs ?? String(Date.now() / 1000) }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function blockSuggestionBody(input: { who: SlackUser; blockId: string; value: string }): string {
  const payload = {
    type: 'block_suggestion',
    user: { id: input.who.user, name: input.who.user.toLowerCase(), team_id: input.who.team },
    team: { id: input.who.team, domain: 'partner' },
    api_app_id: 'A0AUTOTASK',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: '1.1', channel_id: 'CGENERAL', is_ephemeral: true },
    action_id: 'select',
    block_id: input.blockId,
    value: input.value,
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** an Events API delivery (sent as JSON) of one event, e.g. an app_mention or a message.im */
export function eventCallbackBody(input: {
  team: string;
  event: Record<string, unknown>;
  eventId?: string;
}): string {
  return JSON.stringify({
    token: 'legacy-verification-token',
    team_id: input.team,
    api_app_id: 'A0AUTOTASK',
    event: input.event,
    type: 'event_callback',
    event_id: input.eventId ?? `Ev${unique().replace('.', '')}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: input.team, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  });
}
