import { DAILY_CRON, parseCadence, WEEKLY_CRON } from '../../../src/core/scheduleCadence.js';

const NOW = new Date('2026-11-25T12:00:00Z');

describe('parseCadence', () => {
  it('turns daily and weekly into their cron expressions', () => {
    expect(parseCadence('daily', NOW)).toEqual({ ok: true, cadence: 'daily', cron: DAILY_CRON });
    expect(parseCadence('WEEKLY', NOW)).toEqual({ ok: true, cadence: 'weekly', cron: WEEKLY_CRON });
  });

  it('accepts a quoted 5-field cron expression', () => {
    expect(parseCadence('"0 6 * * 1"', NOW)).toEqual({ ok: true, cadence: '0 6 * * 1', cron: '0 6 * * 1' });
    expect(parseCadence('0 * * * *', NOW)).toMatchObject({ ok: true, cron: '0 * * * *' });
  });

  it.each([
    ['hourly', 'SCHEDULE_CADENCE_INVALID'],
    ['* * * *', 'SCHEDULE_CADENCE_INVALID'],
    ['0 0 * * * *', 'SCHEDULE_CADENCE_INVALID'],
    ['61 * * * *', 'SCHEDULE_CADENCE_INVALID'],
    ['0 0 31 2 *', 'SCHEDULE_CADENCE_INVALID'],
    ['', 'SCHEDULE_CADENCE_INVALID'],
    ['* * * * *', 'SCHEDULE_TOO_FREQUENT'],
    ['*/30 * * * *', 'SCHEDULE_TOO_FREQUENT'],
  ])('refuses %j with %s and says what to type instead', (input, code) => {
    const result = parseCadence(input, NOW);
    expect(result).toMatchObject({ ok: false, code });
    if (!result.ok) expect(result.message).toMatch(/daily|once an hour/);
  });
});
