// Options for the mapping card's selects (Slack external_select, Teams Data.Query): active
// Autotask services ranked for what the person typed. Containing the typed text
// comes first, then similarity; an empty query lists alphabetically.
import type { MappingDeps } from './mappingDeps.js';
import { nameSimilarity } from './nameSimilarity.js';
import { normaliseServiceName } from './normaliseName.js';

export interface TargetOption {
  id: number;
  name: string;
  /** 0..1; 1 when the name contains what was typed */
  score: number;
}

export function rankByName(
  items: ReadonlyArray<{ id: number; name: string }>,
  typed: string,
  normalise: (name: string) => string,
  limit: number,
): TargetOption[] {
  const wanted = normalise(typed);
  if (wanted === '')
    return [...items]
      .sort((a, b) => a.name.localeCompare(b.name))
      .slice(0, limit)
      .map((i) => ({ ...i, score: 0 }));
  return items
    .map((i) => {
      const name = normalise(i.name);
      return { id: i.id, name: i.name, score: name.includes(wanted) ? 1 : nameSimilarity(wanted, name) };
    })
    .filter((o) => o.score >= 0.5)
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name))
    .slice(0, limit);
}

export async function searchServices(deps: MappingDeps, typed: string, limit = 25): Promise<TargetOption[]> {
  const services = (await deps.directory.listServices()).filter((s) => s.isActive);
  return rankByName(services, typed, normaliseServiceName, limit);
}
