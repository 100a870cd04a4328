import { tenantIdOf } from '../../../src/sources/pax8/pax8Connector.js';

describe("a Pax8 company's External ID as the Microsoft tenant id", () => {
  it('is a tenant only when it is a GUID, written in lower case', () => {
    expect(tenantIdOf(' 3F2504E0-4F89-41D3-9A0C-0305E82C3301 ')).toBe('3f2504e0-4f89-41d3-9a0c-0305e82c3301');
    expect(tenantIdOf('PSA-1001')).toBeUndefined();
    expect(tenantIdOf('3f2504e0-4f89-41d3-9a0c')).toBeUndefined();
    expect(tenantIdOf(null)).toBeUndefined();
    expect(tenantIdOf('')).toBeUndefined();
  });
});
