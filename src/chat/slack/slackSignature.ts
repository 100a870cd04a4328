// Slack request signatures: HMAC-SHA256 over `v0:<timestamp>:<raw body>` with the signing secret,
// compared in constant time; timestamps more than 5 minutes away from now are refused (replays).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const MAX_SIGNATURE_AGE_SECONDS = 5 * 60;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

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

export function verifySlackSignature(input: {
  signingSecret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  body: Buffer;
  nowMs: number;
}): SignatureCheck {
  const { timestamp, signature } = input;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp))
    return { ok: false, reason: 'missing or malformed X-Slack-Request-Timestamp' };
  if (!signature || !/^v0=[0-9a-f]{64}$/.test(signature))
    return { ok: false, reason: 'missing or malformed X-Slack-Signature' };
  const age = Math.abs(input.nowMs / 1000 - Number(timestamp));
  if (age > MAX_SIGNATURE_AGE_SECONDS) return { ok: false, reason: 'timestamp is more than 5 minutes away' };
  const expected = Buffer.from(computeSlackSignature(input.signingSecret, timestamp, input.body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: 'signature does not match' };
  return { ok: true };
}
