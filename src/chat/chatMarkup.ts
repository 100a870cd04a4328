// The card model's chat markup, `*bold*` and `code`, rewritten for a client that marks them
// otherwise (Teams markdown) or not at all (a terminal). Code spans lose their backticks and keep
// their text as it is; a bold run outside them becomes what `bold` makes of its words.
export function rewriteChatMarkup(text: string, bold: (words: string) => string): string {
  return text
    .split(/(`[^`\n]+`)/)
    .map((part) =>
      part.startsWith('`') && part.endsWith('`') && part.length > 1
        ? part.slice(1, -1)
        : part.replace(/\*(\S|\S[^*\n]*?\S)\*/g, (_marked, words: string) => bold(words)),
    )
    .join('');
}
