// Reads the picklist numbers the product needs from Contracts/entityInformation/fields, by
// label, so a tenant whose numbers differ still works. Anything not found falls back to
// DEFAULT_PICKLISTS and is reported, so `autotask-bot test` can say so.
import { z } from 'zod';
import { DEFAULT_PICKLISTS, type AutotaskPicklists } from './entities.js';

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

export function readContractPicklists(fields: EntityFields): PicklistReading {
  const fallbacks: string[] = [];
  const values = (field: string) =>
    fields.fields.find((f) => f.name.toLowerCase() === field.toLowerCase())?.picklistValues ?? [];
  const find = (field: string, label: RegExp, path: string, fallback: number): number => {
    const hit = values(field).find((v) => label.test(v.label.trim()) && v.isActive !== false);
    if (hit) return hit.value;
    fallbacks.push(path);
    return fallback;
  };
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
      contractPeriodType: {
        monthly: find(
          'contractPeriodType',
          /^monthly$/i,
          'contractPeriodType.monthly',
          d.contractPeriodType.monthly,
        ),
        quarterly: find(
          'contractPeriodType',
          /^quarterly$/i,
          'contractPeriodType.quarterly',
          d.contractPeriodType.quarterly,
        ),
        semiAnnual: find(
          'contractPeriodType',
          /^semi[- ]?annual(ly)?$/i,
          'contractPeriodType.semiAnnual',
          d.contractPeriodType.semiAnnual,
        ),
        yearly: find(
          'contractPeriodType',
          /^(yearly|annual(ly)?)$/i,
          'contractPeriodType.yearly',
          d.contractPeriodType.yearly,
        ),
      },
      contractStatus: {
        active: find('status', /^active$/i, 'contractStatus.active', d.contractStatus.active),
      },
    },
    fallbacks,
  };
}
