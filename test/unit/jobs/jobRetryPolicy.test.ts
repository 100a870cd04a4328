import { AutotaskError } from '../../../src/autotask/autotaskError.js';
import { autotaskDatabaseKey } from '../../../src/autotask/autotaskDatabaseKey.js';
import { advisoryLockId } from '../../../src/jobs/autotaskDatabaseLock.js';
import { describeJobError, JobError } from '../../../src/jobs/jobError.js';
import { jobRetryDelay } from '../../../src/jobs/jobRetryPolicy.js';

describe('jobRetryDelay', () => {
  it('doubles up to the cap and gives up after maxAttempts (the first included)', () => {
    const policy = { maxAttempts: 4, delayMs: 1_000, maxDelayMs: 3_000 };
    expect([1, 2, 3, 4].map((attempt) => jobRetryDelay(policy, attempt))).toEqual([
      1_000,
      2_000,
      3_000,
      null,
    ]);
    expect(jobRetryDelay({ maxAttempts: 1, delayMs: 1, maxDelayMs: 1 }, 1)).toBeNull();
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
    expect(describeJobError(new JobError('X_FAILED', 'it broke', 'mend it'))).toEqual({
      code: 'X_FAILED',
      message: 'it broke',
      hint: 'mend it',
    });
    const unreachable = new AutotaskError({
      code: 'AUTOTASK_UNREACHABLE',
      message: 'no answer',
      hint: 'check the network',
    });
    expect(describeJobError(unreachable)).toEqual({
      code: 'AUTOTASK_UNREACHABLE',
      message: 'no answer',
      hint: 'check the network',
    });
    expect(describeJobError('plain')).toMatchObject({ code: 'JOB_FAILED', message: 'plain' });
  });

  it('gives every problem a hint, and reads no code out of a message', () => {
    expect(describeJobError(new JobError('JOB_DATA_INVALID', 'bad data')).hint).not.toBe('');
    expect(describeJobError(new JobError('RUN_STATE', 'run r is done')).hint).not.toBe('');
    const text = describeJobError(new Error('AUTOTASK_UNREACHABLE: no answer'));
    expect(text).toMatchObject({ code: 'JOB_FAILED', message: 'AUTOTASK_UNREACHABLE: no answer' });
    expect(text.hint).not.toBe('');
  });
});
