// Items in consecutive chunks of at most `size`, in order (the last one may be shorter): batches
// of database writes, blocks of a chat message that holds only so many elements.
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
