import { createLogger } from '../../../src/observability/logger.js';
import { REDACTED, SecretScrubber, secretForms } from '../../../src/observability/secretScrubber.js';
import { secretsOfEnvironment } from '../../../src/config.js';
import { CollectingStream } from '../../helpers/collectingStream.js';

const HARD = 'p"a\\ss%20wörd€';

/** every way the tests below expect a secret to be written down somewhere */
function writtenForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const url = new URL('postgresql://host');
  url.password = secret;
  return [
    secret,
    json,
    JSON.stringify(json).slice(1, -1),
    json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    encodeURIComponent(secret),
    encodeURIComponent(secret).toLowerCase(),
    url.password,
    new URLSearchParams({ s: secret }).toString().slice(2),
    Buffer.from(secret).toString('base64'),
  ];
}

describe('SecretScrubber', () => {
  const scrubber = new SecretScrubber().add(HARD);

  it.each(writtenForms(HARD).map((f) => [f]))('removes the form %s from text around it', (form) => {
    const out = scrubber.scrubText(`before ${form} after`);
    expect(out).toBe(`before ${REDACTED} after`);
  });

  it('removes the secret inside Basic auth at every alignment of the pair', () => {
    for (const user of ['a', 'ab', 'abc', 'api@partner.com']) {
      const basic = Buffer.from(`${user}:${HARD}`).toString('base64');
      expect(scrubber.scrubText(`Authorization: Basic ${basic}`)).not.toContain(
        Buffer.from(HARD).toString('base64').slice(4, 12),
      );
      // what remains of the header cannot be decoded back to the secret
      const left = scrubber.scrubText(basic).split(REDACTED).join('');
      expect(Buffer.from(left, 'base64').toString('utf8')).not.toContain(HARD);
      expect(scrubber.scrubText(basic)).toContain(REDACTED);
    }
  });

  it('scrubs values at any depth, keys too, and errors with their stack and cause', () => {
    const cause = new Error(`connect failed for postgres:${encodeURIComponent(HARD)}@db`);
    const error = Object.assign(new Error(`auth "${HARD}" refused`, { cause }), { body: { said: HARD } });
    const scrubbed = scrubber.scrubValue({ list: [HARD, { [HARD]: 1 }], error, when: new Date(0), n: 3 });
    const text = JSON.stringify(scrubbed);
    for (const form of writtenForms(HARD)) expect(text).not.toContain(form);
    expect(text).toContain('auth \\"[REDACTED]\\" refused');
    expect(scrubbed.when).toEqual(new Date(0));
    expect(scrubbed.n).toBe(3);
    expect((scrubbed.error as unknown as { stack: string }).stack).toContain('at ');
  });

  it('leaves text alone when it has no secret, and ignores values too short to be secrets', () => {
    const short = new SecretScrubber().add('abc', '', undefined);
    expect(short.size).toBe(0);
    expect(short.scrubText('abc abc')).toBe('abc abc');
    expect(scrubber.scrubText('an ordinary line, 100% fine')).toBe('an ordinary line, 100% fine');
  });

  it('lists the forms without duplicates and without the too short', () => {
    const forms = secretForms('abcdefgh');
    expect(new Set(forms).size).toBe(forms.length);
    expect(forms.every((f) => f.length >= 4)).toBe(true);
  });
});

describe('the logger scrubs raw values before they are serialised', () => {
  it('writes no form of a secret with quotes, backslashes, percent signs and unicode', () => {
    const stream = new CollectingStream();
    const logger = createLogger({
      level: 'debug',
      format: 'json',
      secrets: [HARD],
      destination: stream,
      scrubber: new SecretScrubber(),
    });
    logger.info(`message ${HARD}`);
    logger.info({ url: `postgresql://bot:${encodeURIComponent(HARD)}@db/x` }, 'url');
    logger.error(new Error(`alone ${HARD}`));
    logger.error({ err: new Error(`with object ${JSON.stringify({ p: HARD })}`) });
    logger.warn({ nested: { deeper: [HARD], basic: Buffer.from(`u:${HARD}`).toString('base64') } }, 'x');
    logger.child({ bound: HARD }).info('child %s', HARD);
    const text = stream.text();
    expect(stream.chunks).toHaveLength(6);
    for (const form of writtenForms(HARD)) expect(text).not.toContain(form);
    expect(text).not.toContain('wörd');
    const lines = stream.chunks.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[2]!.msg).toBe(`alone ${REDACTED}`);
    expect((lines[2]!.err as { type: string }).type).toBe('Error');
    expect(lines[3]!.msg).toContain('with object');
  });
});

describe('secretsOfEnvironment', () => {
  it('counts every database URL password, as written and decoded, and the secret variables', () => {
    const encoded = encodeURIComponent(HARD);
    const secrets = secretsOfEnvironment({
      DATABASE_URL: `postgresql://bot:${encoded}@db:5432/x`,
      DATABASE_MIGRATION_URL: 'postgresql://owner:owner-pass-123@db:5432/x',
      JOBS_DATABASE_URL: 'postgresql://jobs:p%zz-not-encoded@db/x',
      AUTOTASK_SECRET: ' at-secret-1 ',
      PORT: '3000',
    });
    expect(secrets).toEqual(
      expect.arrayContaining([HARD, encoded, 'owner-pass-123', 'p%zz-not-encoded', 'at-secret-1']),
    );
    expect(secrets).not.toContain('3000');
  });
});
