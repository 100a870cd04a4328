// Uploads to one Autotask database never run at the same time, even from two processes: each
// upload holds a PostgreSQL session advisory lock keyed by the Autotask database. The lock lives
// on a connection of its own, so a crashed worker's lock goes away with its connection.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';

/** PURE: the signed 64-bit advisory lock id of a key (namespaced so other locks never collide). */
export function advisoryLockId(key: string): bigint {
  return createHash('sha256').update(`autotask-bot/upload/${key}`).digest().readBigInt64BE(0);
}

export type LockWait = { ok: true } | { ok: false; code: 'LOCK_ABORTED'; message: string };

/**
 * What an upload needs of the lock: the job takes it as a dependency. The lock keeps uploads to one
 * tenant apart; exactly once does not rest on it (the executor's own claim and the ledger's
 * compare-and-set hold without it).
 */
export type UploadLock = Pick<AutotaskDatabaseLock, 'withLock'>;

export class AutotaskDatabaseLock {
  private readonly pool: pg.Pool;
  private readonly held = new Set<pg.PoolClient>();

  constructor(
    connectionString: string,
    private readonly pollMs = 200,
  ) {
    this.pool = new pg.Pool({ connectionString, max: 4 });
    // an idle connection dropped by the server (restart, shutdown) is replaced on the next use;
    // unheard, its 'error' event would end the process
    this.pool.on('error', () => undefined);
  }

  /**
   * Runs `work` while holding the lock for `key`. Waits for another holder (polling with
   * pg_try_advisory_lock, so a shutdown can stop the wait); gives up with LOCK_ABORTED when
   * `signal` aborts before the lock was taken.
   */
  async withLock<T>(
    key: string,
    signal: AbortSignal,
    work: () => Promise<T>,
  ): Promise<{ ok: true; value: T } | Extract<LockWait, { ok: false }>> {
    const id = advisoryLockId(key).toString();
    const client = await this.pool.connect();
    this.held.add(client);
    let locked = false;
    try {
      while (!locked) {
        if (signal.aborted)
          return {
            ok: false,
            code: 'LOCK_ABORTED',
            message: 'the worker is shutting down; the job goes back to the queue',
          };
        const res = await client.query<{ locked: boolean }>(
          'SELECT pg_try_advisory_lock($1::bigint) AS locked',
          [id],
        );
        locked = res.rows[0]!.locked;
        if (!locked) await sleep(this.pollMs);
      }
      return { ok: true, value: await work() };
    } finally {
      this.held.delete(client);
      if (locked) {
        await client
          .query('SELECT pg_advisory_unlock($1::bigint)', [id])
          .then(() => client.release())
          .catch((error: Error) => client.release(error));
      } else client.release();
    }
  }

  /** Closes every connection: locks still held (by work parked at shutdown) go with them. */
  async close(): Promise<void> {
    for (const client of this.held) client.release(new Error('shutting down: releasing the upload lock'));
    this.held.clear();
    await this.pool.end();
  }
}
