// Writes autotaskRestDescription.ts: every field of the entities the sandbox serves, as the
// vendor publishes them — names and types from Autotask's REST swagger (v1.json); required,
// read-only, picklist and reference flags from vendorFieldFlags.json, which records per entity
// the field table it was read from (the SOAP entity pages' flags, as the AutotaskNET library
// transcribes them: the REST pages' tables could not be read here). The swagger itself is not
// committed; docs/autotask-fidelity.md says where to get it.
//
//   npx tsx src/sandbox/vendor/generateVendorDescription.ts /path/to/v1.json <swagger commit>
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The entities the sandbox serves, with the swagger model that describes each. */
const MODELS = {
  Companies: 'CompanyModel',
  Contracts: 'ContractModel',
  Services: 'ServiceModel',
  ContractServices: 'ContractServiceModel',
  ContractServiceAdjustments: 'ContractServiceAdjustmentModel',
  ContractServiceUnits: 'ContractServiceUnitModel',
  BillingItems: 'BillingItemModel',
} as const;

const SwaggerPropertySchema = z.looseObject({
  type: z.string().optional(),
  format: z.string().optional(),
  $ref: z.string().optional(),
  readOnly: z.boolean().optional(),
});
const SwaggerSchema = z.looseObject({
  info: z.looseObject({ title: z.string(), version: z.string() }),
  definitions: z.record(
    z.string(),
    z.looseObject({ properties: z.record(z.string(), SwaggerPropertySchema).optional() }),
  ),
});

const FlagSchema = z.object({
  required: z.boolean(),
  readOnly: z.boolean(),
  picklist: z.boolean(),
  reference: z.string().nullable(),
});
const FlagsFileSchema = z.record(
  z.string(),
  z.object({
    source: z.string(),
    fields: z.record(z.string(), FlagSchema),
    notFound: z.array(z.string()).optional(),
  }),
);

/** `ContractServiceID` → `contractServiceID`, `SICCode` → `sicCode`, `Id` → `id`: the REST spelling. */
export function restFieldName(swaggerName: string): string {
  const leadingCapitals = /^[A-Z]+/.exec(swaggerName)?.[0] ?? '';
  if (leadingCapitals.length <= 1 || leadingCapitals.length === swaggerName.length)
    return (
      swaggerName.charAt(0).toLowerCase() + swaggerName.slice(1).replace(/^[A-Z]+$/, (s) => s.toLowerCase())
    );
  // an acronym followed by a word: keep the word's capital (SICCode → sicCode)
  const acronym = leadingCapitals.slice(0, -1);
  return acronym.toLowerCase() + swaggerName.slice(acronym.length);
}

/** entityInformation names a referenced entity in the singular (`Companies` → `Company`). */
function singular(entity: string): string {
  return entity.endsWith('ies') ? `${entity.slice(0, -3)}y` : entity.replace(/s$/, '');
}

function dataType(p: z.infer<typeof SwaggerPropertySchema>): string {
  if (p.type === 'integer') return p.format === 'int64' ? 'long' : p.format === 'int16' ? 'short' : 'integer';
  if (p.type === 'number') return p.format === 'double' ? 'double' : 'decimal';
  if (p.type === 'string') return p.format === 'date-time' ? 'datetime' : 'string';
  if (p.type === 'boolean') return 'boolean';
  throw new Error(`no Autotask data type for ${JSON.stringify(p)}`);
}

function main(): void {
  const [swaggerFile, commit] = process.argv.slice(2);
  if (!swaggerFile || !commit)
    throw new Error('usage: generateVendorDescription.ts <v1.json> <commit of KelvinTegelaar/AutotaskAPI>');
  const swagger = SwaggerSchema.parse(JSON.parse(fs.readFileSync(swaggerFile, 'utf8')));
  const flagsFile = fileURLToPath(new URL('./vendorFieldFlags.json', import.meta.url));
  const flags = FlagsFileSchema.parse(JSON.parse(fs.readFileSync(flagsFile, 'utf8')));
  const entities = Object.entries(MODELS).map(([entity, model]) => {
    const properties = swagger.definitions[model]?.properties;
    if (!properties) throw new Error(`the swagger has no ${model}`);
    const entityFlags = flags[entity];
    const fields = Object.entries(properties)
      // SoapParentPropertyId is the SOAP parent link, never on the REST wire; UDFs are their own list
      .filter(([name]) => name !== 'SoapParentPropertyId' && name !== 'UserDefinedFields')
      .map(([name, p]) => {
        const restName = restFieldName(name);
        const flag = entityFlags?.fields[restName];
        return {
          name: restName,
          dataType: dataType(p),
          isRequired: flag?.required ?? false,
          isReadOnly: flag?.readOnly ?? (restName === 'id' || p.readOnly === true),
          isPickList: flag?.picklist ?? false,
          referenceEntityType: flag?.reference ? singular(flag.reference) : null,
          flagsFrom: flag ? 'flags file' : 'swagger',
        };
      });
    const unknownFlags = Object.keys(entityFlags?.fields ?? {}).filter(
      (n) => !fields.some((f) => f.name === n),
    );
    return {
      entity,
      model,
      flagsSource: entityFlags?.source ?? null,
      hasUserDefinedFields: 'UserDefinedFields' in properties,
      fields,
      documentedNotInSwagger: unknownFlags.map((n) => ({ name: n, ...entityFlags!.fields[n]! })),
    };
  });
  const header = [
    '// GENERATED by src/sandbox/vendor/generateVendorDescription.ts — do not edit by hand.',
    `// Names and types: ${swagger.info.title} ${swagger.info.version} swagger (v1.json),`,
    `// github.com/KelvinTegelaar/AutotaskAPI at ${commit}.`,
    "// Required / read-only / picklist / reference flags: vendorFieldFlags.json (each entity's",
    "// flagsSource); a field it does not list keeps the swagger's flags (flagsFrom: 'swagger').",
    '// See docs/autotask-fidelity.md.',
    '',
  ].join('\n');
  const body = `export const AUTOTASK_REST_DESCRIPTION = ${JSON.stringify(
    { source: { swagger: `KelvinTegelaar/AutotaskAPI@${commit}:v1.json` }, entities },
    null,
    2,
  )} as const;\n`;
  const out = fileURLToPath(new URL('./autotaskRestDescription.ts', import.meta.url));
  fs.writeFileSync(out, header + body);
  console.log(`wrote ${out}: ${entities.map((e) => `${e.entity} ${e.fields.length}`).join(', ')}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) main();
