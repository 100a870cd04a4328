import { autotaskDatabaseKey, advisoryLockId } from '../../../src/jobs/autotaskDatabaseLock.js';
import { describeJobError, JobError } from '../../../src/jobs/jobError.js';
import { retryDelay } from '../../../src/jobs/jobRetryPolicy.js';

describe('retryDelay', () => {
  it('doubles up to the cap and gives up after maxRetries', () => {
    const policy = { maxRetries: 3, delayMs: 1_000, maxDelayMs: 3_000 };
    expect([1, 2, 3, 4].map((attempt) => retryDelay(policy, attempt))).toEqual([1_000, 2_000, 3_000, null]);
    expect(retryDelay({ maxRetries: 0, delayMs: 1, maxDelayMs: 1 }, 1)).toBeNull();
  });
});

describe('the upload lock key', () => {
  it('is the same for the same tenant however the URL and username are written', () => {
    const a = autotaskDatabaseKey({
      zoneUrl: 'https://webservices5.autotask.net/ATServicesRest/',
      username: 'API@partner.com',
    });
    const b = autotaskDatabaseKey({
      zoneUrl: 'https://WEBSERVICES5.autotask.net/atservicesrest/v1.0/',
      username: 'api@partner.com',
    });
    expect(a).toBe(b);
    expect(advisoryLockId(a)).toBe(advisoryLockId(b));
  });

  it('differs between tenants', () => {
    const a = autotaskDatabaseKey({ zoneUrl: 'https://webservices5.autotask.net/', username: 'api@one.com' });
    const b = autotaskDatabaseKey({ zoneUrl: 'https://webservices5.autotask.net/', username: 'api@two.com' });
    expect(advisoryLockId(a)).not.toBe(advisoryLockId(b));
  });
});

describe('describeJobError', () => {
  it('keeps the code of coded errors and never a stack', () => {
    expect(describeJobError(new JobError('X_FAILED', 'it broke'))).toEqual({
      code: 'X_FAILED',
      message: 'X_FAILED: it broke',
    });
    expect(describeJobError(new Error('AUTOTASK_UNREACHABLE: no answer'))).toMatchObject({
      code: 'AUTOTASK_UNREACHABLE',
    });
    expect(describeJobError('plain')).toEqual({ code: 'JOB_FAILED', message: 'plain' });
  });
});
