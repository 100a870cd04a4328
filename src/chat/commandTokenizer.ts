// Splits command text into arguments: whitespace separates, "double" or 'single' quotes (and
// the curly quotes chat clients like to substitute) keep spaces together.
export type TokenizeResult = { ok: true; tokens: string[] } | { ok: false; problem: string };

const OPENING: Record<string, string> = { '"': '"', "'": "'", '\u201c': '\u201d', '\u2018': '\u2019' };

export function tokenizeCommand(text: string): TokenizeResult {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let closing: string | undefined;
  for (const ch of text) {
    if (closing !== undefined) {
      if (ch === closing || (closing === '"' && ch === '\u201d')) closing = undefined;
      else current += ch;
      continue;
    }
    if (/\s/.test(ch)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
      continue;
    }
    const close = OPENING[ch];
    if (close !== undefined) {
      closing = close;
      inToken = true;
      continue;
    }
    current += ch;
    inToken = true;
  }
  if (closing !== undefined) return { ok: false, problem: `a quote is not closed (missing ${closing})` };
  if (inToken) tokens.push(current);
  return { ok: true, tokens };
}

/** Quotes an argument when it needs it, so a command built from parts reads back the same. */
export function quoteArgument(value: string): string {
  if (value !== '' && !/[\s"'\u201c\u201d\u2018\u2019]/.test(value)) return value;
  return `"${value.replace(/"/g, "'")}"`;
}
