// A small JSON Schema (draft 2020-12) checker for the keywords z.toJSONSchema writes: no validator
// is a dependency of this package (ajv is in node_modules only as someone else's dependency).
// Returns every violation as "path: what", [] when the value fits. Unknown keywords fail loudly,
// so a schema this checker cannot read is never passed by accident.
type Schema = Record<string, unknown>;

const KNOWN = new Set([
  '$ref',
  'type',
  'enum',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'oneOf',
  'anyOf',
  'allOf',
  'description',
  'default',
  'format',
]);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const fitsType = (value: unknown, type: string) =>
  typeOf(value) === type || (type === 'number' && typeOf(value) === 'integer');

/** `root` resolves local `$ref`s such as "#/components/schemas/Problem". */
export function schemaViolations(schema: Schema, value: unknown, root: Schema, at = '$'): string[] {
  for (const key of Object.keys(schema))
    if (!KNOWN.has(key)) throw new Error(`${at}: the checker does not know the keyword "${key}"`);
  const out: string[] = [];
  if (typeof schema.$ref === 'string') {
    const target = schema.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((node, part) => (node as Schema | undefined)?.[part], root);
    if (!target) throw new Error(`${at}: $ref ${schema.$ref} does not resolve`);
    out.push(...schemaViolations(target as Schema, value, root, at));
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => fitsType(value, t)))
      return [...out, `${at}: is ${typeOf(value)}, not ${types.join('|')}`];
  }
  if (schema.const !== undefined && value !== schema.const)
    out.push(`${at}: is ${JSON.stringify(value)}, not ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value))
    out.push(`${at}: ${JSON.stringify(value)} is none of ${JSON.stringify(schema.enum)}`);
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) out.push(`${at}: too short`);
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) out.push(`${at}: too long`);
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(value))
      out.push(`${at}: does not match ${schema.pattern}`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum)
      out.push(`${at}: below ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum)
      out.push(`${at}: above ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems)
      out.push(`${at}: too few items`);
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems)
      out.push(`${at}: too many items`);
    if (schema.items && typeof schema.items === 'object')
      value.forEach((item, i) =>
        out.push(...schemaViolations(schema.items as Schema, item, root, `${at}[${i}]`)),
      );
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const name of (schema.required ?? []) as string[])
      if (!(name in object)) out.push(`${at}: lacks required "${name}"`);
    for (const [name, v] of Object.entries(object)) {
      if (properties[name]) out.push(...schemaViolations(properties[name], v, root, `${at}.${name}`));
      else if (schema.additionalProperties === false) out.push(`${at}: has "${name}", which is not allowed`);
    }
  }
  for (const part of (schema.allOf ?? []) as Schema[]) out.push(...schemaViolations(part, value, root, at));
  if (Array.isArray(schema.anyOf)) {
    const results = (schema.anyOf as Schema[]).map((s) => schemaViolations(s, value, root, at));
    if (!results.some((r) => r.length === 0))
      out.push(`${at}: fits none of anyOf (${results.flat().join('; ')})`);
  }
  if (Array.isArray(schema.oneOf)) {
    const results = (schema.oneOf as Schema[]).map((s) => schemaViolations(s, value, root, at));
    const fitting = results.filter((r) => r.length === 0).length;
    if (fitting !== 1)
      out.push(
        fitting === 0
          ? `${at}: fits none of oneOf (${results.flat().join('; ')})`
          : `${at}: fits ${fitting} of oneOf, not exactly one`,
      );
  }
  return out;
}
