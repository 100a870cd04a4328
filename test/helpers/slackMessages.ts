// Reading what the bot sent to Slack (recorded chat.postMessage / chat.update / response_url
// bodies): their blocks, text, buttons and selects, and the Block Kit limit check on each.
import { checkBlockKitMessage } from '../../src/chat/slack/blockKitLimits.js';
import type { RecordedCall } from './recordingSlackServer.js';
import type { SlackAction } from './signedSlackRequests.js';

export type Block = Record<string, unknown> & { type: string };
interface ButtonElement {
  type: string;
  action_id: string;
  value: string;
  text: { text: string };
}

export const blocksOf = (call: RecordedCall): Block[] => (call.body.blocks as Block[] | undefined) ?? [];

export const textOfCall = (call: RecordedCall): string => JSON.stringify(call.body.blocks ?? call.body.text);

export const buttonsOf = (call: RecordedCall): ButtonElement[] =>
  blocksOf(call)
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements as ButtonElement[])
    .filter((e) => e.type === 'button');

/** the button whose label starts with `label`, as a click payload */
export function button(call: RecordedCall, label: string): SlackAction {
  const found = buttonsOf(call).find((b) => b.text.text.startsWith(label));
  if (!found) throw new Error(`no button "${label}" in ${textOfCall(call)}`);
  return { type: 'button', action_id: found.action_id, value: found.value };
}

/** section blocks whose accessory is a select of this type */
export const selectsOf = (call: RecordedCall, type: 'static_select' | 'external_select'): Block[] =>
  blocksOf(call).filter((b) => (b.accessory as { type?: string } | undefined)?.type === type);

/** every Block Kit limit the message breaks (none expected) */
export const limitProblems = (call: RecordedCall) =>
  checkBlockKitMessage({ text: String(call.body.text ?? ''), blocks: blocksOf(call) });
