// Walks the audit log's hash chain (made by the trigger audit_log_chain, see
// prisma/migrations/20261202020000_audit_chain_and_jobs_table) and names the first row that
// breaks it. The hash is recomputed here with the same formula rather than by calling a database
// function, so a replaced function cannot make an altered row look intact.
import type { Db } from '../db/prismaClient.js';

export const GENESIS_HASH = '0'.repeat(64);
const BATCH = 5_000;

export interface ChainBreak {
  /** the first row that does not verify */
  id: string;
  kind: 'altered' | 'unlinked' | 'anchor';
  message: string;
}

export interface ChainVerification {
  /** rows checked and found intact (all of them when intact) */
  intactRows: number;
  broken: ChainBreak | undefined;
  /** the last row: recorded outside the database, it shows later that no tail was cut off */
  head: { id: string; hash: string } | undefined;
}

interface ChainRow {
  id: string;
  prev_hash: string;
  hash: string;
  recomputed: string;
}

function batchAfter(db: Db, afterId: bigint): Promise<ChainRow[]> {
  return db.$queryRaw<ChainRow[]>`
    SELECT id::text AS id, prev_hash, hash,
      encode(sha256(convert_to(prev_hash || E'\n' || jsonb_build_array(
        id::text, to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS.MS'), actor_id, actor_name,
        action, customer_id, run_id, outcome, details)::text, 'UTF8')), 'hex') AS recomputed
    FROM audit_log WHERE id > ${afterId} ORDER BY audit_log.id LIMIT ${BATCH}`;
}

/** A row id and hash recorded earlier, outside the database (the head printed by a past verify). */
export interface ChainAnchor {
  id: string;
  hash: string;
}

function anchorBreak(
  anchor: ChainAnchor,
  found: string | undefined,
  head: ChainAnchor | undefined,
): ChainBreak {
  return found === undefined
    ? {
        id: anchor.id,
        kind: 'anchor',
        message: `row ${anchor.id} of the anchor is gone: the log now ends at ${head ? `row ${head.id}` : 'no row at all'}, so rows were cut off its end`,
      }
    : {
        id: anchor.id,
        kind: 'anchor',
        message: `row ${anchor.id} no longer has the anchor's hash: the rows up to it were rewritten and their hashes recomputed`,
      };
}

export async function verifyAuditChain(
  db: Db,
  options: { anchor?: ChainAnchor } = {},
): Promise<ChainVerification> {
  const anchor = options.anchor;
  let anchorHash: string | undefined;
  let intactRows = 0;
  let previous: { id: string; hash: string } | undefined;
  for (;;) {
    const rows = await batchAfter(db, previous ? BigInt(previous.id) : -1n);
    for (const row of rows) {
      if (row.recomputed !== row.hash)
        return {
          intactRows,
          head: previous,
          broken: {
            id: row.id,
            kind: 'altered',
            message: `row ${row.id} was changed after it was written: its content no longer matches its hash`,
          },
        };
      const expected = previous?.hash ?? GENESIS_HASH;
      if (row.prev_hash !== expected)
        return {
          intactRows,
          head: previous,
          broken: {
            id: row.id,
            kind: 'unlinked',
            message: previous
              ? `row ${row.id} does not follow row ${previous.id}: a row between them was removed or inserted, or row ${previous.id} was rewritten together with its hash`
              : `row ${row.id} is the first row but does not start the chain: the rows before it were removed`,
          },
        };
      intactRows++;
      previous = { id: row.id, hash: row.hash };
      if (anchor && row.id === anchor.id) anchorHash = row.hash;
    }
    if (rows.length < BATCH) {
      const broken =
        anchor && anchorHash !== anchor.hash ? anchorBreak(anchor, anchorHash, previous) : undefined;
      return { intactRows, head: previous, broken };
    }
  }
}
