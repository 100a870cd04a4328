// Fitting text into a platform's length limits, shared by every renderer (Block Kit, Adaptive
// Cards): cut with an ellipsis, or split at line ends into pieces that each fit.

/** Cuts text to at most `limit` characters, marking the cut with "…". */
export function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** Splits text at line ends into pieces of at most `limit` characters (a line longer than that is cut). */
export function splitText(text: string, limit: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const piece = clip(line, limit);
    if (current && current.length + 1 + piece.length > limit) {
      pieces.push(current);
      current = piece;
    } else current = current ? `${current}\n${piece}` : piece;
  }
  if (current || pieces.length === 0) pieces.push(current || ' ');
  return pieces;
}
