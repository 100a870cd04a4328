// What a person typed into a card's searchable select of services: the best matches by name,
// each labelled so two services of one name can be told apart (id · name · period · SKU · price).
import type { MappingDeps } from '../mapping/mappingDeps.js';
import { searchServices as rankServices } from '../mapping/searchTargets.js';
import { serviceLabel } from '../mapping/servicePeriod.js';

export interface ServiceOption {
  serviceId: number;
  name: string;
  label: string;
}

export async function searchServices(
  mapping: MappingDeps,
  query: string,
  limit: number,
): Promise<ServiceOption[]> {
  const [options, all, picklists] = await Promise.all([
    rankServices(mapping, query, limit),
    mapping.directory.listServices(),
    mapping.directory.picklists(),
  ]);
  const byId = new Map(all.map((s) => [s.id, s]));
  return options.map((o) => ({
    serviceId: o.id,
    name: o.name,
    label: serviceLabel(byId.get(o.id) ?? { id: o.id, name: o.name, unitPrice: null }, picklists),
  }));
}

/** Every active service, by name: what a mapping card offers. */
export async function activeServices(mapping: MappingDeps): Promise<ServiceOption[]> {
  const picklists = await mapping.directory.picklists();
  return (await mapping.directory.listServices())
    .filter((s) => s.isActive)
    .map((s) => ({ serviceId: s.id, name: s.name, label: serviceLabel(s, picklists) }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.serviceId - b.serviceId);
}
