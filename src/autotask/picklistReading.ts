// Reads the picklist numbers the product needs from Contracts/entityInformation/fields (and the
// service period type from Services/entityInformation/fields), by label, so a tenant whose
// numbers differ still works. Anything not found falls back to
// DEFAULT_PICKLISTS and is reported, so `autotask-bot test` can say so.
import { z } from 'zod';
import { DEFAULT_PICKLISTS, type AutotaskPicklists, type PeriodPicklist } from './entities.js';

export const EntityFieldsSchema = z.object({
  fields: z.array(
    z.looseObject({
      name: z.string(),
      dataType: z.string().nullish(),
      isRequired: z.boolean().nullish(),
      isReadOnly: z.boolean().nullish(),
      isQueryable: z.boolean().nullish(),
      isPickList: z.boolean().nullish(),
      picklistValues: z
        .array(
          z.looseObject({
            value: z.union([z.string(), z.number()]).transform(Number),
            label: z.string(),
            isActive: z.boolean().nullish(),
          }),
        )
        .nullish(),
    }),
  ),
});
export type EntityFields = z.infer<typeof EntityFieldsSchema>;

export interface PicklistReading {
  picklists: AutotaskPicklists;
  /** "contractPeriodType.quarterly" for each value taken from the defaults */
  fallbacks: string[];
}

const PERIOD_LABELS = {
  monthly: /^monthly$/i,
  quarterly: /^quarterly$/i,
  semiAnnual: /^semi[- ]?annual(ly)?$/i,
  yearly: /^(yearly|annual(ly)?)$/i,
} as const;

function reader(fields: EntityFields | null, fallbacks: string[]) {
  const values = (field: string) =>
    fields?.fields.find((f) => f.name.toLowerCase() === field.toLowerCase())?.picklistValues ?? [];
  const find = (field: string, label: RegExp, path: string, fallback: number): number => {
    const hit = values(field).find((v) => label.test(v.label.trim()) && v.isActive !== false);
    if (hit) return hit.value;
    fallbacks.push(path);
    return fallback;
  };
  const periods = (field: string, path: string, defaults: PeriodPicklist): PeriodPicklist => ({
    monthly: find(field, PERIOD_LABELS.monthly, `${path}.monthly`, defaults.monthly),
    quarterly: find(field, PERIOD_LABELS.quarterly, `${path}.quarterly`, defaults.quarterly),
    semiAnnual: find(field, PERIOD_LABELS.semiAnnual, `${path}.semiAnnual`, defaults.semiAnnual),
    yearly: find(field, PERIOD_LABELS.yearly, `${path}.yearly`, defaults.yearly),
  });
  return { find, periods };
}

/**
 * `contracts` are the Contracts fields; `services` the Services fields (null when they could
 * not be read: the service period type then comes from the defaults and is reported).
 */
export function readContractPicklists(
  contracts: EntityFields,
  services: EntityFields | null = null,
): PicklistReading {
  const fallbacks: string[] = [];
  const { find, periods } = reader(contracts, fallbacks);
  const d = DEFAULT_PICKLISTS;
  return {
    picklists: {
      contractType: {
        recurringService: find(
          'contractType',
          /^recurring service$/i,
          'contractType.recurringService',
          d.contractType.recurringService,
        ),
      },
      contractPeriodType: periods('contractPeriodType', 'contractPeriodType', d.contractPeriodType),
      contractStatus: {
        active: find('status', /^active$/i, 'contractStatus.active', d.contractStatus.active),
      },
      servicePeriodType: reader(services, fallbacks).periods(
        'periodType',
        'servicePeriodType',
        d.servicePeriodType,
      ),
    },
    fallbacks,
  };
}
