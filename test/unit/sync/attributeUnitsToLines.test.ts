// Autotask marks ContractServiceUnits.contractServiceID optional: a row without it belongs to the
// oldest line of its service on its contract, and to none when there is no such line.
import { ContractServiceUnitSchema } from '../../../src/autotask/entities.js';
import { attributeUnitsToLines } from '../../../src/sync/unitsTimeline.js';

// rows as the client parses them from Autotask's answer
const unitsRow = (row: Record<string, unknown>) =>
  ContractServiceUnitSchema.parse({
    startDate: '2026-03-01T00:00:00Z',
    endDate: '2026-03-31T00:00:00Z',
    units: 5,
    price: 62.5,
    ...row,
  });

describe('attributeUnitsToLines', () => {
  // listed out of id order: "oldest" is the lowest id, not the first listed
  const lines = [
    { id: 503, contractID: 10, serviceID: 20 }, // a repeat line of service 20 on contract 10
    { id: 501, contractID: 10, serviceID: 20 }, // the base line
    { id: 502, contractID: 10, serviceID: 21 }, // another service on the same contract
    { id: 400, contractID: 11, serviceID: 20 }, // the same service on another contract
  ];

  it('reads an absent or null contractServiceID as null', () => {
    expect(unitsRow({ id: 1, contractID: 10, serviceID: 20 }).contractServiceID).toBeNull();
    expect(
      unitsRow({ id: 1, contractID: 10, serviceID: 20, contractServiceID: null }).contractServiceID,
    ).toBeNull();
  });

  it('gives a row without contractServiceID the oldest line of its service on its contract', () => {
    const [row] = attributeUnitsToLines([unitsRow({ id: 1, contractID: 10, serviceID: 20 })], lines);
    expect(row).toMatchObject({ id: 1, contractID: 10, serviceID: 20, contractServiceID: 501, units: 5 });
    const [other] = attributeUnitsToLines([unitsRow({ id: 2, contractID: 10, serviceID: 21 })], lines);
    expect(other?.contractServiceID).toBe(502);
    const [elsewhere] = attributeUnitsToLines([unitsRow({ id: 3, contractID: 11, serviceID: 20 })], lines);
    expect(elsewhere?.contractServiceID).toBe(400);
  });

  it('keeps a row that names its line as it is, even a repeat line', () => {
    const [row] = attributeUnitsToLines(
      [unitsRow({ id: 1, contractID: 10, serviceID: 20, contractServiceID: 503 })],
      lines,
    );
    expect(row?.contractServiceID).toBe(503);
  });

  it('leaves out a row whose service has no line on its contract, keeping the others in order', () => {
    const rows = [
      unitsRow({ id: 1, contractID: 10, serviceID: 20, contractServiceID: 501 }),
      unitsRow({ id: 2, contractID: 10, serviceID: 99 }), // no line of service 99 on contract 10
      unitsRow({ id: 3, contractID: 12, serviceID: 20 }), // no line at all on contract 12
      unitsRow({ id: 4, contractID: 10, serviceID: 20 }),
    ];
    expect(attributeUnitsToLines(rows, lines).map((r) => [r.id, r.contractServiceID])).toEqual([
      [1, 501],
      [4, 501],
    ]);
    expect(attributeUnitsToLines([unitsRow({ id: 5, contractID: 10, serviceID: 20 })], [])).toEqual([]);
  });
});
