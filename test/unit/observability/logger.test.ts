import { createLogger, scrubSecrets } from '../../../src/observability/logger.js';
import { CollectingStream } from '../../helpers/collectingStream.js';

describe('logger', () => {
  it('scrubs configured secret values from every line, wherever they appear', () => {
    const stream = new CollectingStream();
    const logger = createLogger({
      level: 'debug',
      format: 'json',
      secrets: ['hunter2-secret'],
      destination: stream,
    });
    logger.info({ request: { headers: { Secret: 'hunter2-secret' } } }, 'calling with hunter2-secret');
    logger.error({ err: new Error('auth failed for hunter2-secret') }, 'failed');
    logger.debug({ nested: { deeper: ['x', 'hunter2-secret'] } }, 'array');
    const text = stream.text();
    expect(stream.chunks).toHaveLength(3);
    expect(text).not.toContain('hunter2-secret');
    expect(text.match(/\[REDACTED\]/g)?.length).toBeGreaterThanOrEqual(4);
  });

  it('redacts secret-named fields even when the value is not a configured secret', () => {
    const stream = new CollectingStream();
    const logger = createLogger({ level: 'info', format: 'json', secrets: [], destination: stream });
    logger.info({ slack: { token: 'xoxb-unknown' }, autotask: { secret: 'unknown' } }, 'x');
    expect(stream.text()).not.toContain('xoxb-unknown');
    expect(JSON.parse(stream.text()).autotask.secret).toBe('[REDACTED]');
  });

  it('scrubSecrets ignores values too short to be secrets', () => {
    expect(scrubSecrets('a b c', ['a'])).toBe('a b c');
    expect(scrubSecrets('key=abcdef', ['abcdef'])).toBe('key=[REDACTED]');
  });
});
