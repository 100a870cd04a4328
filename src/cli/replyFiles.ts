// `--png <file>` / `--csv <file>`: the CLI writes the chart or export a reply carries (chat shows
// them as links instead). A reply without such a file says so on stderr and exits 1, so a script
// never mistakes a missing export for an empty one.
import { writeFile } from 'node:fs/promises';
import type { ChatReply } from '../chat/cardModel.js';

export interface ReplyFileRequest {
  png?: string | undefined;
  csv?: string | undefined;
}

const CONTENT_TYPE = { png: 'image/png', csv: 'text/csv' } as const;

/** Writes what was asked for; returns the lines to print on stderr and whether all were written. */
export async function writeReplyFiles(
  reply: Pick<ChatReply, 'files'>,
  wanted: ReplyFileRequest,
): Promise<{ ok: boolean; lines: string[] }> {
  const lines: string[] = [];
  let ok = true;
  for (const kind of ['png', 'csv'] as const) {
    const path = wanted[kind];
    if (!path) continue;
    const file = reply.files?.find((f) => f.contentType.startsWith(CONTENT_TYPE[kind]));
    if (!file) {
      ok = false;
      lines.push(
        `--${kind}: this command's answer has no ${kind.toUpperCase()} to write; ${path} was not written`,
      );
      continue;
    }
    try {
      await writeFile(path, file.bytes);
      lines.push(`Wrote ${file.bytes.length} bytes to ${path}`);
    } catch (error) {
      ok = false;
      lines.push(
        `--${kind}: could not write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      );
    }
  }
  return { ok, lines };
}
