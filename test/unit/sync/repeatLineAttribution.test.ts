import { attributeRepeatLines, lineCarries } from '../../../src/sync/repeatLineAttribution.js';

const row = (contractServiceId: number, startDate: string, endDate: string, units: number) => ({
  contractServiceId,
  startDate,
  endDate,
  units,
});

describe('repeat line attribution', () => {
  const lines = [
    { contractServiceId: 1, contractId: 100, serviceId: 11 }, // base, claimed
    { contractServiceId: 2, contractId: 100, serviceId: 11 },
    { contractServiceId: 3, contractId: 100, serviceId: 11 },
  ];
  const rows = [
    row(1, '2026-01-05', '2026-12-31', 5),
    row(2, '2026-03-01', '2026-12-31', 8),
    row(3, '2026-03-01', '2026-03-31', 4),
    row(3, '2026-04-01', '2026-12-31', 2),
  ];

  it('finds the unclaimed line whose timeline is exactly what was pushed', () => {
    const found = attributeRepeatLines(
      [
        {
          lineKey: 'b',
          contractId: 100,
          serviceId: 11,
          order: 2,
          changes: [
            { effectiveDate: '2026-03-01', unitChange: 4 },
            { effectiveDate: '2026-04-01', unitChange: -2 },
          ],
        },
        {
          lineKey: 'a',
          contractId: 100,
          serviceId: 11,
          order: 1,
          changes: [{ effectiveDate: '2026-03-01', unitChange: 8 }],
        },
      ],
      lines,
      rows,
      new Set([1]),
    );
    expect([...found.entries()].sort()).toEqual([
      ['a', 2],
      ['b', 3],
    ]);
  });

  it('names nothing when no line carries the change (it never arrived)', () => {
    const found = attributeRepeatLines(
      [
        {
          lineKey: 'x',
          contractId: 100,
          serviceId: 11,
          order: 1,
          changes: [{ effectiveDate: '2026-05-01', unitChange: 3 }],
        },
      ],
      lines,
      rows,
      new Set([1]),
    );
    expect(found.size).toBe(0);
  });

  it('gives identical timelines to openings in the order they were sent', () => {
    const twins = [row(7, '2026-03-01', '2026-12-31', 2), row(6, '2026-03-01', '2026-12-31', 2)];
    const found = attributeRepeatLines(
      [
        {
          lineKey: 'second',
          contractId: 100,
          serviceId: 11,
          order: 9,
          changes: [{ effectiveDate: '2026-03-01', unitChange: 2 }],
        },
        {
          lineKey: 'first',
          contractId: 100,
          serviceId: 11,
          order: 3,
          changes: [{ effectiveDate: '2026-03-01', unitChange: 2 }],
        },
      ],
      [
        { contractServiceId: 7, contractId: 100, serviceId: 11 },
        { contractServiceId: 6, contractId: 100, serviceId: 11 },
      ],
      twins,
      new Set(),
    );
    expect(found.get('first')).toBe(6);
    expect(found.get('second')).toBe(7);
  });

  it('requires the line to start on the first change', () => {
    expect(
      lineCarries([row(1, '2026-01-01', '2026-12-31', 0)], [{ effectiveDate: '2026-02-01', unitChange: 0 }]),
    ).toBe(false);
  });
});
