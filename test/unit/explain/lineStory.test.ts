import { buildLineStory, type StoryEvent, type StoryInput } from '../../../src/explain/lineStory.js';

const ev = (effectiveDate: string, kind: string, values: Partial<StoryEvent> = {}): StoryEvent => ({
  effectiveDate,
  kind,
  quantityAfter: null,
  statusAfter: null,
  priceBefore: null,
  priceAfter: null,
  billingCycleBefore: null,
  billingCycleAfter: null,
  ...values,
});

const input = (overrides: Partial<StoryInput>): StoryInput => ({
  title: 'Visio Plan 2 (monthly) — Acme',
  sourceLabel: 'Pax8',
  events: [],
  operations: [],
  runs: [],
  audit: [],
  lines: [],
  today: '2026-05-10',
  ...overrides,
});

describe('the story of a subscription', () => {
  it('bills 0 units while suspended or cancelled, and the quantity again once reactivated', () => {
    const story = buildLineStory(
      input({
        events: [
          ev('2026-01-05', 'created', { quantityAfter: 5, statusAfter: 'active', priceAfter: '10' }),
          ev('2026-02-14', 'suspended', { statusAfter: 'suspended' }),
          ev('2026-03-01', 'reactivated', { statusAfter: 'active' }),
          ev('2026-03-01', 'quantity_changed', { quantityAfter: 7 }),
          ev('2026-04-20', 'cancelled', { statusAfter: 'cancelled' }),
        ],
      }),
    );
    expect(story.chart.series[0]!.points).toEqual([
      { date: '2026-01-05', units: 5 },
      { date: '2026-02-14', units: 0 },
      { date: '2026-03-01', units: 7 },
      { date: '2026-04-20', units: 0 },
    ]);
    // one change per date, its events in the order given
    expect(story.changes.map((c) => c.what)).toEqual([
      'created with 5 units at 10',
      'suspended (bills 0 units)',
      'reactivated; quantity changed to 7',
      'cancelled (bills 0 units)',
    ]);
    expect(story.changes.every((c) => c.operations.length === 0)).toBe(true);
  });

  it("draws a line's rows as steps, 0 after a gap, and clips the axis a week after today", () => {
    const story = buildLineStory(
      input({
        events: [ev('2026-01-05', 'created', { quantityAfter: 3, statusAfter: 'active' })],
        lines: [
          {
            contractServiceId: 41,
            lineKey: 's|100|11|10',
            unitPrice: '10',
            rows: [
              { startDate: '2026-02-01', endDate: '2026-02-28', units: 3 },
              { startDate: '2026-01-05', endDate: '2026-01-31', units: 3 },
              { startDate: '2026-04-01', endDate: '2026-04-30', units: 2 },
              { startDate: '2026-06-01', endDate: '2026-06-30', units: 2 },
            ],
          },
        ],
      }),
    );
    expect(story.chart.to).toBe('2026-05-17');
    expect(story.chart.series[1]).toEqual({
      id: 'line:41',
      label: 'Autotask line 41 @ 10',
      kind: 'autotask',
      points: [
        { date: '2026-01-05', units: 3 },
        { date: '2026-03-01', units: 0 },
        { date: '2026-04-01', units: 2 },
        { date: '2026-05-01', units: 0 },
      ],
    });
  });

  it('marks uploads, price changes and cycle moves; ties operations to their approval and audit records', () => {
    const sentAt = new Date('2026-03-02T08:00:00Z');
    const story = buildLineStory(
      input({
        events: [
          ev('2026-01-05', 'created', { quantityAfter: 5, statusAfter: 'active', priceAfter: '22' }),
          ev('2026-03-01', 'price_changed', { priceBefore: '22', priceAfter: '21' }),
          ev('2026-04-01', 'billing_cycle_changed', {
            billingCycleBefore: 'monthly',
            billingCycleAfter: 'annual',
          }),
        ],
        operations: [
          {
            key: 'a1',
            runId: 'r-1',
            kind: 'adjust',
            lineKey: 'L22',
            effectiveDate: '2026-03-01',
            unitChange: -5,
            unitsAfter: 0,
            unitPrice: '22',
            status: 'done',
            contractServiceId: 41,
            finishedAt: sentAt,
          },
          {
            key: 'a2',
            runId: 'r-1',
            kind: 'adjust',
            lineKey: 'L21',
            effectiveDate: '2026-03-01',
            unitChange: 5,
            unitsAfter: 5,
            unitPrice: '21',
            status: 'done',
            contractServiceId: null,
            finishedAt: sentAt,
          },
          {
            key: 'a3',
            runId: 'r-2',
            kind: 'adjust',
            lineKey: 'L21',
            effectiveDate: '2026-02-10',
            unitChange: 1,
            unitsAfter: 6,
            unitPrice: '21',
            status: 'failed',
            contractServiceId: null,
            finishedAt: null,
          },
        ],
        runs: [
          { id: 'r-1', approvedBy: 'slack:T1:UBOB', approvedAt: sentAt },
          { id: 'r-2', approvedBy: null, approvedAt: null },
        ],
        audit: [
          { id: '7', runId: 'r-1', action: 'upload.approved', operationKey: null },
          { id: '9', runId: 'r-1', action: 'operation.done', operationKey: 'a2' },
        ],
      }),
    );
    expect(story.chart.markers).toEqual([
      { date: '2026-03-01', kind: 'upload', label: '-5 +5 (r-1)' },
      { date: '2026-03-01', kind: 'price', label: '22 → 21' },
      { date: '2026-04-01', kind: 'cycle', label: 'monthly → annual' },
    ]);
    const march = story.changes.find((c) => c.date === '2026-03-01')!;
    expect(march.operations).toEqual([
      {
        runId: 'r-1',
        what: '-5 on line 41 (then 0)',
        status: 'done',
        sentAt,
        approvedBy: 'slack:T1:UBOB',
        auditIds: ['7'],
      },
      {
        runId: 'r-1',
        what: '+5 on a new line at 21 (then 5)',
        status: 'done',
        sentAt,
        approvedBy: 'slack:T1:UBOB',
        auditIds: ['7', '9'],
      },
    ]);
    // an operation on a day with no change in the history is not lost
    expect(story.unmatchedOperations).toEqual([
      expect.objectContaining({ date: '2026-02-10', runId: 'r-2', status: 'failed', approvedBy: null }),
    ]);
  });
});
