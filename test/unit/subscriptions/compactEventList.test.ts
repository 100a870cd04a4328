// The compact form of a big batch's events: what comes out is what went in, with the parts rows
// repeat shared; and a CSV read as a stream gives the same batch as the whole text.
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { generatePartner } from '../../../src/demo/partnerGenerator.js';
import { CompactEventList } from '../../../src/subscriptions/compactEventList.js';
import { CsvImportReader } from '../../../src/subscriptions/csvImportReader.js';
import type { IncomingEvent } from '../../../src/subscriptions/incomingEvent.js';
import { parseJsonEvents } from '../../../src/subscriptions/jsonEventFormat.js';

const partner = generatePartner({
  seed: 7,
  customers: 20,
  subscriptions: 60,
  events: 400,
  endDate: '2026-06-30',
});

function readWhole(text: string) {
  const reader = new CsvImportReader();
  try {
    parseSync(text, reader.options);
  } catch (error) {
    return reader.unreadable(error);
  }
  return reader.result();
}

async function readStream(text: string, pieceSize: number) {
  const reader = new CsvImportReader();
  const bytes = Buffer.from(text);
  const pieces = function* () {
    for (let i = 0; i < bytes.length; i += pieceSize) yield bytes.subarray(i, i + pieceSize);
  };
  try {
    await pipeline(
      Readable.from(pieces()),
      parse(reader.options),
      new Writable({ objectMode: true, write: (_r, _e, done) => done() }),
    );
  } catch (error) {
    return reader.unreadable(error);
  }
  return reader.result();
}

describe('CompactEventList', () => {
  it('gives back every event as pushed, in order, sharing customers and subscriptions', () => {
    const batch = readWhole(partner.csv);
    const events: IncomingEvent[] = [...batch.events];
    expect(events).toHaveLength(400);
    const again = new CompactEventList();
    for (const e of events) again.push(e);
    expect([...again.complete()]).toEqual(events);
    for (const e of events) expect(e.event.subscriptionId).toBe(e.subscription.id);
    // one object per distinct description (a cycle change gives a subscription a second one)
    expect(new Set(events.map((e) => e.subscription)).size).toBeLessThan(events.length / 2);
  });

  it('keeps what JSON events carry: no state after, nulls, source ids', () => {
    const base = {
      customer: { name: 'Acme', externalId: 't-1' },
      subscription: {
        id: 's-1',
        product: 'P',
        billingType: 'quantity',
        billingCycle: 'monthly',
        currency: 'USD',
      },
      date: '2025-02-01',
    };
    const { events } = parseJsonEvents([
      { ...base, kind: 'created', quantityAfter: 3, priceAfter: 10, eventId: 'e-1' },
      { ...base, kind: 'suspended' },
    ]);
    expect(events).toHaveLength(2);
    const list = new CompactEventList();
    for (const e of events) list.push(e);
    expect([...list.complete()]).toEqual(events);
    expect([...list].map((e) => [e.stateAfter, e.event.sourceEventId])).toEqual([
      [undefined, 'e-1'],
      [undefined, undefined],
    ]);
    expect(() => list.push(events[0]!)).toThrow(/complete/);
  });
});

describe('CsvImportReader', () => {
  const broken = partner.csv.split('\n');
  broken.splice(5, 0, 'Acme,"not closed');
  it.each([
    ['the partner file', partner.csv],
    [
      'a file with bad rows',
      partner.csv.replace(/,monthly,quantity,,/, ',monthly,quantity,,x').replace('2025-0', '2025-13'),
    ],
    ['a file with a broken quote', broken.join('\n')],
    ['a file with a missing column', partner.csv.replace('currency', 'money')],
    ['an empty file', ''],
  ])('reads %s from a stream in pieces as from the whole text', async (name, text) => {
    const whole = readWhole(text);
    expect(whole.problems.length > 0).toBe(name !== 'the partner file');
    for (const pieceSize of [7, 4096]) {
      const streamed = await readStream(text, pieceSize);
      expect({ ...streamed, events: [...streamed.events] }).toEqual({ ...whole, events: [...whole.events] });
    }
  });
});
