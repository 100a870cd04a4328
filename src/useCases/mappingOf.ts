// `map <customer>`: opening the mapping card runs automatic mapping first (exact matches applied
// in automatic mode, the rest suggested), then reads where the customer's mapping stands.
import type { Actor } from '../audit/actor.js';
import type { MappingDeps } from '../mapping/mappingDeps.js';
import { getMappingCard, type MappingCardData } from '../mapping/mappingState.js';
import { runAutomaticMapping } from '../mapping/runAutomaticMapping.js';
import { activeServices, type ServiceOption } from './searchServices.js';

export async function mappingOf(
  mapping: MappingDeps,
  customerId: string,
  actor: Actor,
): Promise<{ card: MappingCardData; services: ServiceOption[] }> {
  await runAutomaticMapping(mapping, { customerId }, actor);
  const card = await getMappingCard(mapping, customerId);
  if (!card.ok) throw new Error(`${card.code}: ${card.message}`);
  return { card, services: await activeServices(mapping) };
}
