// The directory cache's TTL and the per-person rate limits as configured: documented defaults,
// 0 = off, and a wrong value named in the ConfigError (exit 2) instead of a silent default.
import { ConfigError, loadConfig } from '../../src/config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((p) => p.variable);
  }
  throw new Error('expected a ConfigError');
}

describe('directory cache and rate limit settings', () => {
  it('default to a five-minute cache, 10 a minute for viewers and 30 for operators', () => {
    const config = loadConfig({});
    expect(config.autotask.directoryTtlSeconds).toBe(300);
    expect(config.chatRateLimits).toEqual({ viewerPerMinute: 10, operatorPerMinute: 30 });
  });

  it('take whole numbers, 0 turning each off', () => {
    const config = loadConfig({
      AUTOTASK_DIRECTORY_TTL_SECONDS: '0',
      CHAT_RATE_LIMIT_PER_MINUTE: '0',
      CHAT_RATE_LIMIT_OPERATOR_PER_MINUTE: ' 120 ',
    });
    expect(config.autotask.directoryTtlSeconds).toBe(0);
    expect(config.chatRateLimits).toEqual({ viewerPerMinute: 0, operatorPerMinute: 120 });
  });

  it('name every wrong value', () => {
    expect(
      problemsOf({
        AUTOTASK_DIRECTORY_TTL_SECONDS: '5m',
        CHAT_RATE_LIMIT_PER_MINUTE: '-1',
        CHAT_RATE_LIMIT_OPERATOR_PER_MINUTE: '2.5',
      }).sort(),
    ).toEqual([
      'AUTOTASK_DIRECTORY_TTL_SECONDS',
      'CHAT_RATE_LIMIT_OPERATOR_PER_MINUTE',
      'CHAT_RATE_LIMIT_PER_MINUTE',
    ]);
    expect(problemsOf({ AUTOTASK_DIRECTORY_TTL_SECONDS: '86400' })).toEqual([
      'AUTOTASK_DIRECTORY_TTL_SECONDS',
    ]);
    expect(problemsOf({ CHAT_RATE_LIMIT_PER_MINUTE: '1000000' })).toEqual(['CHAT_RATE_LIMIT_PER_MINUTE']);
  });
});
