// Bot Framework activities as Teams sends them to /api/messages: messages in a personal chat or
// a channel (with the bot @mentioned), card clicks (Action.Execute invokes and Action.Submit
// messages), Data.Query searches and installs.
import { randomUUID } from 'node:crypto';

export const BOT_ID = '28:bot-app-id';
export const BOT_NAME = 'Autotask';

export interface TeamsUser {
  tenant: string;
  aadObjectId: string;
  name?: string;
}

export interface TeamsPlace {
  serviceUrl: string;
  /** personal chat (default), a channel, or a group chat (its conversation id) */
  channel?: { id: string; name: string; teamId: string };
  group?: string;
}

function conversationOf(who: TeamsUser, place: TeamsPlace) {
  return place.channel
    ? {
        id: place.channel.id,
        conversationType: 'channel',
        tenantId: who.tenant,
        isGroup: true,
        name: place.channel.name,
      }
    : place.group
      ? { id: place.group, conversationType: 'groupChat', tenantId: who.tenant, isGroup: true }
      : { id: `a:personal-${who.aadObjectId}`, conversationType: 'personal', tenantId: who.tenant };
}

function base(who: TeamsUser, place: TeamsPlace) {
  return {
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    serviceUrl: place.serviceUrl,
    channelId: 'msteams',
    from: { id: `29:${who.aadObjectId}`, name: who.name ?? who.aadObjectId, aadObjectId: who.aadObjectId },
    recipient: { id: BOT_ID, name: BOT_NAME },
    conversation: conversationOf(who, place),
    channelData: {
      tenant: { id: who.tenant },
      ...(place.channel
        ? { channel: { id: place.channel.id, name: place.channel.name }, team: { id: place.channel.teamId } }
        : {}),
    },
    locale: 'en-US',
  };
}

/** A typed message; in a channel the bot is @mentioned in front, as Teams writes it. */
export function messageActivity(who: TeamsUser, place: TeamsPlace, text: string) {
  if (!place.channel && !place.group)
    return { ...base(who, place), type: 'message', text, textFormat: 'plain' };
  const mention = `<at>${BOT_NAME}</at>`;
  return {
    ...base(who, place),
    type: 'message',
    text: `${mention} ${text}`,
    textFormat: 'plain',
    entities: [{ type: 'mention', text: mention, mentioned: { id: BOT_ID, name: BOT_NAME } }],
  };
}

/** A click on an Action.Execute button: an invoke naming the card's message in replyToId. */
export function executeActivity(who: TeamsUser, place: TeamsPlace, replyToId: string, data: unknown) {
  return {
    ...base(who, place),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId,
    value: { action: { type: 'Action.Execute', verb: 'command', data }, trigger: 'manual' },
  };
}

/** A click on the Action.Submit fallback: a message with the data as value and no text. */
export function submitActivity(who: TeamsUser, place: TeamsPlace, replyToId: string, data: unknown) {
  return { ...base(who, place), type: 'message', replyToId, value: data };
}

export function searchActivity(who: TeamsUser, place: TeamsPlace, dataset: string, queryText: string) {
  return {
    ...base(who, place),
    type: 'invoke',
    name: 'application/search',
    value: { kind: 'search', queryText, dataset, queryOptions: { skip: 0, top: 15 } },
  };
}

/** The bot added to a team or a personal scope. */
export function installActivity(who: TeamsUser, place: TeamsPlace) {
  return {
    ...base(who, place),
    type: 'conversationUpdate',
    membersAdded: [{ id: BOT_ID }],
  };
}

export async function postActivity(url: string, activity: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof activity === 'string' ? activity : JSON.stringify(activity),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: response.status, body: body as Record<string, unknown> | undefined };
}

/** A channel or group-chat message naming another person: `@Autotask grant @Dana approver`. */
export function messageMentioning(
  who: TeamsUser,
  place: TeamsPlace,
  text: string,
  person: { id: string; name: string },
) {
  const activity = messageActivity(who, place, text.replace('@person', `<at>${person.name}</at>`));
  return {
    ...activity,
    entities: [
      ...((activity as { entities?: unknown[] }).entities ?? []),
      { type: 'mention', text: `<at>${person.name}</at>`, mentioned: { id: person.id, name: person.name } },
    ],
  };
}
