// A seeded pseudo-random generator (the sandbox's fault dice) so fuzz tests repeat exactly.
export { seededRandom } from '../../src/sandbox/server/sandboxRuntime.js';

const WORDS = [
  'help',
  'test',
  'status',
  'customers',
  'map',
  'confirm',
  'unmapped',
  'mode',
  'validate',
  'upload',
  'approve',
  'reject',
  'retry',
  'runs',
  'run',
  'schedule',
  'schedules',
  'unschedule',
  'audit',
  'notify',
  'here',
  'roles',
  'grant',
  'revoke',
  'all',
  'acme',
  'company',
  'contract',
  'product',
  'service',
  'monthly',
  'annual',
  'default',
  'since',
  'daily',
  'weekly',
  'auto',
  'manual',
  'viewer',
  'admin',
  '"Visio Plan 2"',
  '2026-13-45',
  '2026-11-01',
  '"0 6 * * 1"',
  '<@U123>',
  'run_1',
  '"',
  "'",
  '“',
  '--json',
  '/autotask',
  '💥',
  '\u0000',
  '%',
  '&',
  '<script>',
  '; DROP TABLE customers;',
  '-1',
  '999999999999999999999',
  '',
  '   ',
  '\n',
  '\t',
];

/** A random command-ish string: known words, garbage characters, odd quoting, very long runs. */
export function randomCommand(random: () => number): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const parts: string[] = [];
  const n = Math.floor(random() * 7);
  for (let i = 0; i < n; i++) {
    const r = random();
    if (r < 0.6) parts.push(pick(WORDS));
    else if (r < 0.9)
      parts.push(
        Array.from({ length: 1 + Math.floor(random() * 12) }, () =>
          String.fromCharCode(32 + Math.floor(random() * 0x2500)),
        ).join(''),
      );
    else parts.push('x'.repeat(Math.floor(random() * 5000)));
  }
  return parts.join(random() < 0.8 ? ' ' : '');
}
