// The CSV row and JSON event formats: which events a row becomes, and how bad input is named.
import { csvRowToEvents, normaliseColumnName } from '../../../src/subscriptions/csvImportRow.js';
import { parseCsvFile, parseJsonFile } from '../../../src/subscriptions/importFile.js';
import { parseJsonEvents } from '../../../src/subscriptions/jsonEventFormat.js';

const row = (over: Record<string, string> = {}) => ({
  customer: 'Acme Corp',
  customer_external_id: 'tenant-1',
  subscription_id: 'sub-1',
  product: 'Microsoft 365 E3',
  sku: '',
  billing_cycle: 'monthly',
  billing_type: 'quantity',
  old_quantity: '10',
  new_quantity: '10',
  date_of_change: '2025-03-01',
  old_status: 'active',
  new_status: 'active',
  old_price: '36.00',
  new_price: '36.00',
  currency: 'usd',
  ...over,
});
const kinds = (over: Record<string, string>) => csvRowToEvents(2, row(over)).events.map((e) => e.event.kind);

describe('CSV rows', () => {
  it.each([
    [{ old_quantity: '', old_status: '', old_price: '' }, ['created']],
    [{ new_quantity: '12' }, ['quantity_changed']],
    [{ new_status: 'suspended' }, ['suspended']],
    [{ old_status: 'suspended' }, ['reactivated']],
    [{ new_status: 'cancelled' }, ['cancelled']],
    [{ new_price: '38.5' }, ['price_changed']],
    [{ old_billing_cycle: 'annual' }, ['billing_cycle_changed']],
    [{ new_quantity: '12', new_price: '38' }, ['price_changed', 'quantity_changed']],
    [{ old_status: 'suspended', new_quantity: '15' }, ['reactivated', 'quantity_changed']],
    [{ new_quantity: '0', new_status: 'cancelled' }, ['quantity_changed', 'cancelled']],
  ])('%j → %j', (over, expected) => {
    expect(kinds(over)).toEqual(expected);
  });

  it('carries before/after values of its kind only, with normalised money', () => {
    const [event] = csvRowToEvents(2, row({ new_price: '38.50' })).events;
    expect(event!.event).toEqual({
      subscriptionId: 'sub-1',
      effectiveDate: '2025-03-01',
      kind: 'price_changed',
      priceBefore: '36',
      priceAfter: '38.5',
      sourceEventId: undefined,
    });
    expect(event!.subscription.currency).toBe('USD');
  });

  it.each([
    [{ date_of_change: '01/03/2025' }, 'date_of_change', /YYYY-MM-DD/],
    [{ new_quantity: '2.5' }, 'new_quantity', /whole number/],
    [{ new_price: '-1' }, 'new_price', /amount/],
    [{ new_price: '12.345678' }, 'new_price', /at most 4 decimals/],
    [{ billing_type: 'seats' }, 'billing_type', /quantity|usage/],
    [{ currency: 'dollars' }, 'currency', /three-letter/],
    [{ subscription_id: ' ' }, 'subscription_id', /missing/],
    [{ old_quantity: '', old_status: 'active' }, 'old_quantity', /missing/],
    [{}, 'new_quantity', /changes nothing/],
  ])('refuses %j naming %s', (over, column, reason) => {
    const { events, problems } = csvRowToEvents(7, row(over));
    expect(events).toEqual([]);
    expect(problems).toEqual([{ item: 7, column, reason: expect.stringMatching(reason) }]);
  });

  it('reads headers spelled like an export', () => {
    expect(normaliseColumnName('Customer External Id')).toBe('customer_external_id');
    expect(normaliseColumnName('\uFEFFDate of change')).toBe('date_of_change');
    expect(normaliseColumnName('Tenant ID')).toBe('customer_external_id');
  });

  it('numbers rows like a spreadsheet, counting quoted line breaks', () => {
    const header = Object.keys(row()).join(',');
    const line = (over: Record<string, string>) =>
      Object.values(row(over))
        .map((v) => (v.includes('\n') ? `"${v}"` : v))
        .join(',');
    const file = [
      header,
      line({ new_quantity: '11' }),
      line({ customer: 'Acme\nCorp', new_quantity: '12' }),
      line({ new_quantity: 'x' }),
    ].join('\n');
    const parsed = parseCsvFile(file);
    expect(parsed.items).toBe(3);
    expect(parsed.problems).toEqual([{ item: 5, column: 'new_quantity', reason: expect.any(String) }]);
  });

  it('answers an unreadable or empty file with one file-level problem', () => {
    expect(parseCsvFile('').problems).toEqual([{ item: 1, column: '(file)', reason: 'the file is empty' }]);
    expect(parseCsvFile('a,"b\n1,2').problems[0]).toMatchObject({
      column: '(file)',
      reason: expect.stringMatching(/not readable as CSV/),
    });
  });
});

describe('JSON events', () => {
  const base = {
    customer: { name: 'Acme Corp', externalId: 'tenant-1' },
    subscription: {
      id: 'sub-1',
      product: 'Office 365 E1',
      billingCycle: 'monthly',
      billingType: 'quantity',
      currency: 'EUR',
    },
    date: '2025-02-01',
  };

  it('fills the defaults a person expects', () => {
    const { events, problems } = parseJsonEvents([
      { ...base, kind: 'created', quantityAfter: 3, priceAfter: 10 },
      { ...base, kind: 'suspended' },
      { ...base, kind: 'reactivated' },
    ]);
    expect(problems).toEqual([]);
    expect(events.map((e) => e.event)).toEqual([
      expect.objectContaining({
        kind: 'created',
        quantityAfter: 3,
        priceAfter: '10',
        statusAfter: 'active',
        billingCycleAfter: 'monthly',
      }),
      expect.objectContaining({ kind: 'suspended', statusBefore: 'active', statusAfter: 'suspended' }),
      expect.objectContaining({ kind: 'reactivated', statusBefore: 'suspended', statusAfter: 'active' }),
    ]);
  });

  it.each([
    [{ kind: 'quantity_changed', quantityAfter: 4 }, ['quantityBefore']],
    [{ kind: 'quantity_changed', quantityBefore: 4, quantityAfter: 4 }, ['quantityAfter']],
    [{ kind: 'price_changed', priceBefore: '1', priceAfter: '2', quantityAfter: 5 }, ['quantityAfter']],
    [{ kind: 'suspended', statusAfter: 'active' }, ['statusAfter']],
    [{ kind: 'created', priceAfter: '1' }, ['quantityAfter']],
    [{ kind: 'exploded' }, ['kind']],
    [{ kind: 'created', quantityAfter: 1, priceAfter: '1', colour: 'red' }, ['']],
  ])('refuses %j naming %j', (over, fields) => {
    const { events, problems } = parseJsonEvents([{ ...base, ...over }]);
    expect(events).toEqual([]);
    expect(problems.map((p) => (p.column === '(item)' ? '' : p.column))).toEqual(fields);
  });

  it('reads a bare array or a batch, and refuses broken JSON at file level', () => {
    const event = { ...base, kind: 'created', quantityAfter: 1, priceAfter: '1' };
    expect(parseJsonFile(JSON.stringify([event])).events).toHaveLength(1);
    expect(parseJsonFile(JSON.stringify({ source: 'c3', events: [event] })).sourceSystem).toBe('c3');
    expect(parseJsonFile('{"events": [').problems[0]).toMatchObject({
      column: '(file)',
      reason: expect.stringMatching(/not valid JSON/),
    });
  });
});
