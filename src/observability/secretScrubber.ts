// Secret values removed from everything the bot writes down or sends: log lines, audit rows, chat
// messages, CLI errors. A secret is matched in every form it is commonly written in — as given,
// JSON-escaped (once and twice, and with \u escapes), percent-encoded (encodeURIComponent, URL
// userinfo, form encoding, either hex case) and base64 (alone, or inside a Basic auth pair at any
// alignment) — so one that reaches an error message, a URL or a serialised body is still caught.
//
// The secrets in force are a property of the process (its environment), so one shared instance
// collects them: configuration registers what it reads, and code that learns a secret later (a
// generated database password) adds it. Every writer scrubs through that same instance.

export const REDACTED = '[REDACTED]';

/** shorter values would match ordinary text */
const MIN_SECRET_LENGTH = 4;
/** a base64 fragment this short could occur by chance */
const MIN_BASE64_CORE = 8;
const MAX_DEPTH = 12;

const hex4 = (c: string) => c.charCodeAt(0).toString(16).padStart(4, '0');

/** The JSON text of a string without its quotes. */
const jsonEscaped = (s: string) => JSON.stringify(s).slice(1, -1);

function urlUserinfo(secret: string): string {
  const url = new URL('postgresql://host');
  url.password = secret;
  return url.password;
}

/**
 * Base64 of any text containing the secret contains one of these three fragments: the secret's
 * bytes encoded at each of the three byte alignments, without the characters that also depend on
 * the bytes around it.
 */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const core = encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
    if (core.length >= MIN_BASE64_CORE) cores.push(core, core.replaceAll('+', '-').replaceAll('/', '_'));
  }
  return cores;
}

/** Every form of one secret this scrubber looks for. */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  const json = jsonEscaped(secret);
  forms.add(json);
  forms.add(jsonEscaped(json));
  const asciiJson = json.replace(/[^\x20-\x7e]/g, (c) => `\\u${hex4(c)}`);
  forms.add(asciiJson);
  forms.add(asciiJson.replace(/\\u([0-9a-f]{4})/g, (_, h: string) => `\\u${h.toUpperCase()}`));
  forms.add(encodeURIComponent(secret));
  forms.add(encodeURI(secret));
  forms.add(urlUserinfo(secret));
  forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
  forms.add(jsonEscaped(encodeURIComponent(secret)));
  const base64 = Buffer.from(secret, 'utf8').toString('base64');
  forms.add(base64);
  forms.add(base64.replace(/=+$/, ''));
  for (const core of base64Cores(secret)) forms.add(core);
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

/** A regular expression for one form; percent-encoded hex digits match in either case. */
function patternOf(form: string): string {
  return form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => {
    const digits = [...h].map((c) => (/[a-f]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c));
    return `%${digits.join('')}`;
  });
}

export class SecretScrubber {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | undefined;

  /** adds secret values (too short ones are ignored: they would match ordinary text) */
  add(...secrets: readonly (string | undefined)[]): this {
    for (const secret of secrets)
      if (secret && secret.length >= MIN_SECRET_LENGTH && !this.secrets.has(secret)) {
        this.secrets.add(secret);
        this.pattern = undefined;
      }
    return this;
  }

  get size(): number {
    return this.secrets.size;
  }

  private compiled(): RegExp | undefined {
    if (this.secrets.size === 0) return undefined;
    if (!this.pattern) {
      const forms = [...new Set([...this.secrets].flatMap(secretForms))].sort((a, b) => b.length - a.length);
      this.pattern = new RegExp(forms.map(patternOf).join('|'), 'g');
    }
    return this.pattern;
  }

  /** the text with every form of every secret replaced by [REDACTED] */
  scrubText(text: string): string {
    const pattern = this.compiled();
    return pattern ? text.replace(pattern, REDACTED) : text;
  }

  /**
   * A copy of the value with every string scrubbed, at any depth (keys too). Errors become plain
   * objects (type, message, stack, their own fields and cause) so nothing of them escapes.
   */
  scrubValue<T>(value: T): T {
    if (!this.compiled()) return value;
    return this.walk(value, 0, new WeakSet()) as T;
  }

  private walk(value: unknown, depth: number, seen: WeakSet<object>): unknown {
    if (typeof value === 'string') return this.scrubText(value);
    if (!value || typeof value !== 'object') return value;
    if (value instanceof Date || Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return value;
    if (seen.has(value)) return '[Circular]';
    if (depth >= MAX_DEPTH) return '[Too deep]';
    seen.add(value);
    try {
      if (Array.isArray(value)) return value.map((v) => this.walk(v, depth + 1, seen));
      if (value instanceof Map || value instanceof Set) return this.walk([...value], depth, seen);
      // what JSON.stringify would write for a value that knows how (a Decimal, a URL)
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function' && !(value instanceof Error))
        return this.walk((toJSON as () => unknown).call(value), depth + 1, seen);
      const source: Record<string, unknown> =
        value instanceof Error ? errorFields(value) : (value as Record<string, unknown>);
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(source)) out[this.scrubText(key)] = this.walk(v, depth + 1, seen);
      return out;
    } finally {
      seen.delete(value);
    }
  }
}

function errorFields(error: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    type: error.constructor?.name ?? error.name,
    message: error.message,
    stack: error.stack,
  };
  for (const [key, v] of Object.entries(error)) fields[key] = v;
  if (error.cause !== undefined) fields.cause = error.cause;
  if (error instanceof AggregateError) fields.errors = error.errors;
  return fields;
}

/** The process's secrets: every writer scrubs through this one instance. */
export const processSecrets = new SecretScrubber();
