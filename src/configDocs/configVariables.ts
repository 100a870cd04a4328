// Every variable src/config.ts reads, with its default (from the schema), whether it is a secret
// (SECRET_VARIABLES) and its description (the README table). The schema and the README must name
// the same variables, and mark the same secrets; anything else is an error naming the variable.
import type { z } from 'zod';
import { EnvSchema, SECRET_VARIABLES } from '../config.js';
import { readmeConfigTable } from './readmeConfigTable.js';

export interface ConfigVariable {
  name: string;
  secret: boolean;
  /** the text the schema falls back to when the variable is unset; undefined = no default */
  default: string | undefined;
  /** the README's words for the default (e.g. "unset (ingest API off)") */
  defaultInWords: string;
  meaning: string;
}

/** The raw text a field defaults to: its `.default()`, found through refinements and transforms. */
function defaultOf(schema: z.ZodType): string | undefined {
  const def = schema._zod.def as {
    type: string;
    defaultValue?: unknown;
    in?: z.ZodType;
    innerType?: z.ZodType;
  };
  if (def.type === 'default') return String(def.defaultValue);
  if (def.type === 'pipe' && def.in) return defaultOf(def.in);
  if ((def.type === 'optional' || def.type === 'nullable') && def.innerType) return defaultOf(def.innerType);
  return undefined;
}

export function configVariables(readme: string): ConfigVariable[] {
  const rows = new Map(readmeConfigTable(readme).map((row) => [row.name, row]));
  const secrets = new Set<string>(SECRET_VARIABLES);
  const names = Object.keys(EnvSchema.shape) as (keyof typeof EnvSchema.shape)[];
  const problems: string[] = [];
  for (const name of names) {
    const row = rows.get(name);
    if (!row)
      problems.push(`${name} is read by src/config.ts but has no row in the README "Configuration" table`);
    else if (row.secret !== secrets.has(name))
      problems.push(
        `${name} is ${secrets.has(name) ? '' : 'not '}in SECRET_VARIABLES but ${row.secret ? '' : 'not '}marked 🔒 in the README`,
      );
  }
  for (const name of rows.keys())
    if (!(name in EnvSchema.shape))
      problems.push(`the README documents ${name}, which src/config.ts does not read`);
  if (problems.length > 0)
    throw new Error(`The configuration reference is inconsistent:\n  - ${problems.join('\n  - ')}`);
  // README order: its descriptions say "the next two", "its secret"
  return [...rows.keys()].map((name) => {
    const row = rows.get(name)!;
    return {
      name,
      secret: secrets.has(name),
      default: defaultOf(EnvSchema.shape[name as keyof typeof EnvSchema.shape] as z.ZodType),
      defaultInWords: row.default,
      meaning: row.meaning,
    };
  });
}
