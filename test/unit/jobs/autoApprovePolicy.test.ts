import { decideAutoApprove, DEFAULT_AUTO_APPROVE } from '../../../src/jobs/autoApprovePolicy.js';

const on = { enabled: true, increasesOnly: true as const, maxUnitsPerCustomer: 5 };
const adjust = (customerId: string, unitChange: number) => ({ customerId, kind: 'adjust', unitChange });

describe('decideAutoApprove', () => {
  it('is off by default', () => {
    expect(DEFAULT_AUTO_APPROVE.enabled).toBe(false);
    expect(decideAutoApprove(DEFAULT_AUTO_APPROVE, [adjust('a', 1)])).toEqual({
      approve: false,
      reason: 'the auto-approve policy is off',
    });
  });

  it('approves increases within the limit per customer', () => {
    const changes = [
      { customerId: 'a', kind: 'create_line', unitChange: 0 },
      adjust('a', 3),
      adjust('a', 2),
      adjust('b', 5),
    ];
    expect(decideAutoApprove(on, changes)).toEqual({ approve: true });
  });

  it('leaves any decrease to a person', () => {
    expect(decideAutoApprove(on, [adjust('a', 3), adjust('a', -1)])).toMatchObject({
      approve: false,
      reason: expect.stringMatching(/increases only/),
    });
  });

  it('leaves more than N units for one customer to a person', () => {
    expect(decideAutoApprove(on, [adjust('a', 3), adjust('a', 3)])).toMatchObject({
      approve: false,
      reason: expect.stringMatching(/gains 6 units.*at most 5/),
    });
  });

  it('approves nothing when there is nothing to upload', () => {
    expect(decideAutoApprove(on, [])).toMatchObject({ approve: false });
  });
});
