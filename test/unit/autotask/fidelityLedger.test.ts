// Issue #20, must show 5: the fidelity ledger (docs/autotask-fidelity.md) lists every behaviour
// verify-tenant stores as a tenant fact, marked the way the upload engine treats it — relied on
// (a contradiction blocks uploads) or recorded — and every source of the ledger names a URL or a
// document, or says "no public source".
import fs from 'node:fs';
import { TENANT_BEHAVIOURS } from '../../../src/autotask/tenantBehaviours.js';

const ledger = fs.readFileSync(new URL('../../../docs/autotask-fidelity.md', import.meta.url), 'utf8');
const rows = ledger
  .split('\n')
  .filter((l) => l.startsWith('| ') && !l.startsWith('| behaviour') && !l.startsWith('|---'));

describe('the fidelity ledger', () => {
  it.each(TENANT_BEHAVIOURS.map((b) => [b.key, b] as const))(
    'lists %s with the marking the upload engine gives it and the verify-tenant check',
    (key, behaviour) => {
      const row = rows.find((r) => r.includes(`(\`${key}\`)`));
      expect(row).toBeDefined();
      expect(row).toContain(behaviour.reliedOn ? '**relied on**' : '**recorded**');
      expect(row).toMatch(/no public source/);
      expect(row).toMatch(/verify-tenant/);
    },
  );

  it('gives every row a source: a cited page or document, or "no public source"', () => {
    expect(rows.length).toBeGreaterThan(25);
    const cited = /\[(swagger|entity pages|calls|query|advanced|threads|soap-limits|csa|csu|apigrate)\]/;
    for (const row of rows) {
      const source = row.split(' | ').at(-1)!;
      expect([row, cited.test(source) || /no public source/.test(source)]).toEqual([row, true]);
    }
  });

  it('names only sources it defines', () => {
    const defined = new Set([...ledger.matchAll(/^- \*\*\[([a-z][a-z -]*)\]\*\*/gm)].map((m) => m[1]));
    const used = new Set([...ledger.matchAll(/\[([a-z][a-z -]*)\](?!\()/g)].map((m) => m[1]));
    expect([...used].filter((u) => !defined.has(u))).toEqual([]);
  });
});
