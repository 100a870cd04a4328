// Text the database cannot store is refused where it comes in, naming the field: PostgreSQL
// refuses a NUL character in text, and a lone UTF-16 surrogate (which JSON's "\ud800" escape can
// carry) is not Unicode at all. Left to the database, either one fails the whole request late.

export interface UnstorableText {
  /** where, as zod names paths: "customer.name", "subscriptions" … ("" = the value itself) */
  path: string;
  reason: string;
}

const NUL_REASON = 'contains a NUL character (U+0000), which cannot be stored: remove it';
const SURROGATE_REASON =
  'contains an unpaired UTF-16 surrogate (e.g. \\ud800), which is not valid Unicode text: send the text as UTF-8';

/** with the u flag a well-formed pair is one code point, so only unpaired halves match */
const LONE_SURROGATE = /\p{Cs}/u;

/** Why this text cannot be stored, or undefined when it can. */
export function whyUnstorable(text: string): string | undefined {
  if (text.includes('\u0000')) return NUL_REASON;
  if (LONE_SURROGATE.test(text)) return SURROGATE_REASON;
  return undefined;
}

/** A path kept as links to its parent: a deep value costs no copies of its path. */
interface PathNode {
  parent: PathNode | undefined;
  key: string;
}

function pathText(node: PathNode | undefined): string {
  const keys: string[] = [];
  for (let n = node; n; n = n.parent) keys.push(n.key);
  return keys.reverse().join('.');
}

/**
 * Every string in a parsed JSON value (object keys included) that cannot be stored. Walks with
 * its own stack, so a deeply nested body cannot overflow the call stack.
 */
export function findUnstorableText(value: unknown): UnstorableText[] {
  const found: UnstorableText[] = [];
  const stack: { value: unknown; path: PathNode | undefined }[] = [{ value, path: undefined }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      const reason = whyUnstorable(v);
      if (reason) found.push({ path: pathText(path), reason });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--)
        stack.push({ value: v[i], path: { parent: path, key: String(i) } });
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>).reverse();
      for (const [key, child] of entries) {
        const keyReason = whyUnstorable(key);
        // a bad key is named by where it is, not by itself
        if (keyReason)
          found.push({ path: pathText({ parent: path, key: '(field name)' }), reason: keyReason });
        else stack.push({ value: child, path: { parent: path, key } });
      }
    }
  }
  return found;
}
