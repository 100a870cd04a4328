import { demoServices } from '../../helpers/demoDirectory.js';
import { normaliseServiceName } from '../../../src/mapping/normaliseName.js';
import { rankByName } from '../../../src/mapping/searchTargets.js';

describe('rankByName (options for the service select)', () => {
  const services = demoServices();

  it('puts names containing the typed text first, then similar ones, within the limit', () => {
    const options = rankByName(services, 'visio', normaliseServiceName, 5);
    expect(options.slice(0, 2).map((o) => o.name)).toEqual(['Visio Online Plan 2', 'Visio Plan 1']);
    expect(options.every((o, i) => i === 0 || options[i - 1]!.score >= o.score)).toBe(true);
    expect(options.length).toBeLessThanOrEqual(5);
  });

  it('finds a name typed loosely', () => {
    expect(rankByName(services, 'exchange online (plan 1)', normaliseServiceName, 3)[0]!.name).toBe(
      'Exchange Online Plan 1',
    );
  });

  it('lists alphabetically for an empty query and nothing for gibberish', () => {
    const first = rankByName(services, '  ', normaliseServiceName, 3).map((o) => o.name);
    expect(first).toEqual([...services.map((s) => s.name)].sort((a, b) => a.localeCompare(b)).slice(0, 3));
    expect(rankByName(services, 'qqqqzzzz', normaliseServiceName, 3)).toEqual([]);
  });
});
