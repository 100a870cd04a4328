// The fields the sandbox serves per entity: every field of the vendor's REST description
// (vendor/autotaskRestDescription.ts, generated from Autotask's swagger and entity help pages),
// the sandbox's picklists bound to the picklist fields the bot reads, and the few fields Autotask
// answers with that its swagger leaves out (EXTENSIONS, each with its reason). Field names match
// case-insensitively, as Autotask's REST documentation says they do (docs/autotask-fidelity.md).
import type { SeedPicklists } from './sandboxSeed.js';
import { AUTOTASK_REST_DESCRIPTION } from './vendor/autotaskRestDescription.js';

export type SandboxEntity = (typeof AUTOTASK_REST_DESCRIPTION.entities)[number]['entity'];

export interface SandboxField {
  name: string;
  dataType: string;
  isRequired: boolean;
  isReadOnly: boolean;
  isPickList: boolean;
  referenceEntityType: string | null;
  /** the sandbox picklist that answers this field's picklistValues */
  picklist?: keyof SeedPicklists;
  /** 'vendor': in the generated description; 'extension': see EXTENSIONS */
  origin: 'vendor' | 'extension';
}

/** Picklist fields whose values the bot reads at start-up; the seed's picklists answer them. */
const PICKLIST_BINDINGS: Partial<Record<SandboxEntity, Record<string, keyof SeedPicklists>>> = {
  Companies: { companyType: 'companyType' },
  Contracts: {
    contractType: 'contractType',
    contractPeriodType: 'contractPeriodType',
    status: 'contractStatus',
  },
  Services: { periodType: 'servicePeriodType' },
};

/**
 * Fields Autotask serves that the swagger (2025-03) does not list. Each is kept because the bot
 * reads or writes it; docs/autotask-fidelity.md names the source.
 */
const EXTENSIONS: Partial<Record<SandboxEntity, Omit<SandboxField, 'origin'>[]>> = {
  // the catalogue code newer tenants carry; the mapping prefers it over the name when present
  Services: [
    {
      name: 'sku',
      dataType: 'string',
      isRequired: false,
      isReadOnly: false,
      isPickList: false,
      referenceEntityType: null,
    },
  ],
  // the REST ContractServices page lists adjustedPrice as updatable (PATCH/PUT); reads answer
  // internalCurrencyAdjustedPrice instead, so the sandbox never returns it on a read
  ContractServices: [
    {
      name: 'adjustedPrice',
      dataType: 'decimal',
      isRequired: false,
      isReadOnly: false,
      isPickList: false,
      referenceEntityType: null,
    },
  ],
};

function fieldsOf(entity: SandboxEntity): SandboxField[] {
  const described = AUTOTASK_REST_DESCRIPTION.entities.find((e) => e.entity === entity)!;
  const bindings = PICKLIST_BINDINGS[entity] ?? {};
  const vendor: SandboxField[] = described.fields.map((f) => {
    const picklist = bindings[f.name];
    return {
      name: f.name,
      dataType: f.dataType,
      isRequired: f.isRequired,
      isReadOnly: f.isReadOnly,
      isPickList: f.isPickList || picklist !== undefined,
      referenceEntityType: f.referenceEntityType,
      ...(picklist ? { picklist } : {}),
      origin: 'vendor',
    };
  });
  const extra = (EXTENSIONS[entity] ?? []).map((f) => ({ ...f, origin: 'extension' as const }));
  return [...vendor, ...extra];
}

export const SANDBOX_ENTITY_NAMES: SandboxEntity[] = AUTOTASK_REST_DESCRIPTION.entities.map((e) => e.entity);

export const SANDBOX_FIELDS: Record<SandboxEntity, SandboxField[]> = Object.fromEntries(
  SANDBOX_ENTITY_NAMES.map((e) => [e, fieldsOf(e)]),
) as Record<SandboxEntity, SandboxField[]>;

const BY_LOWER_NAME = new Map(
  SANDBOX_ENTITY_NAMES.map((e) => [e, new Map(SANDBOX_FIELDS[e].map((f) => [f.name.toLowerCase(), f]))]),
);

/** The entity's own spelling of a field name given in any case, or undefined when it has no such field. */
export function canonicalFieldName(entity: SandboxEntity, name: string): string | undefined {
  return BY_LOWER_NAME.get(entity)?.get(name.toLowerCase())?.name;
}

export function fieldOf(entity: SandboxEntity, name: string): SandboxField | undefined {
  return BY_LOWER_NAME.get(entity)?.get(name.toLowerCase());
}

/** Whether Autotask's swagger gives rows of this entity a userDefinedFields list. */
export function hasUserDefinedFields(entity: SandboxEntity): boolean {
  return AUTOTASK_REST_DESCRIPTION.entities.find((e) => e.entity === entity)!.hasUserDefinedFields;
}

/** A field value as a row may hold it on the wire. */
export type WireValue = string | number | boolean | null;

/**
 * A row in Autotask's wire shape: every field of the entity in the description's order — the
 * sandbox's own value where it keeps one, a value seeded for it, or null — and the UDF list.
 * `omit` names fields Autotask does not return on reads (adjustedPrice).
 */
export function wireRow(
  entity: SandboxEntity,
  values: Record<string, unknown>,
  seeded: Record<string, WireValue> = {},
  omit: readonly string[] = [],
): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const f of SANDBOX_FIELDS[entity]) {
    if (omit.includes(f.name)) continue;
    row[f.name] = f.name in values ? values[f.name] : (seeded[f.name] ?? null);
  }
  if (hasUserDefinedFields(entity)) row.userDefinedFields = [];
  return row;
}
