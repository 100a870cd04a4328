// How the CLI reaches the same Autotask sandbox as a running bot. In sandbox mode the sandbox
// lives inside the bot process, so the bot writes DATA_DIR/sandbox.json (its zone URL and pid)
// and removes it on shutdown. The CLI uses that sandbox when the file names a live process whose
// sandbox answers; otherwise it starts its own in-process sandbox with the configured (demo) seed,
// which carries on from DATA_DIR/autotask-sandbox.json like the bot's (sandboxConnection.ts).
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { connectAutotaskAt } from '../autotask/autotaskConnection.js';
import type { Config } from '../config.js';
import { isAlive } from '../core/processAlive.js';
import type { Logger } from '../observability/logger.js';
import { autotaskDatabaseKey } from '../autotask/autotaskDatabaseKey.js';
import {
  connectConfiguredAutotask,
  sandboxCredentials,
  type SandboxedAutotaskConnection,
} from './sandboxConnection.js';

const SharedSandboxSchema = z.object({
  url: z.string().url(),
  zoneUrl: z.string().url(),
  pid: z.number().int().positive(),
});
export type SharedSandbox = z.infer<typeof SharedSandboxSchema>;

export const sandboxFile = (dataDir: string): string => path.join(dataDir, 'sandbox.json');

/** The bot announces its in-process sandbox; the returned function withdraws it. */
export async function announceSandbox(
  dataDir: string,
  sandbox: Omit<SharedSandbox, 'pid'>,
): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  const file = sandboxFile(dataDir);
  await writeFile(file, JSON.stringify({ ...sandbox, pid: process.pid }, null, 2));
  return async () => {
    // only our own announcement: a newer bot may have replaced it
    const current = await readShared(dataDir);
    if (current?.pid === process.pid) await rm(file, { force: true });
  };
}

async function readShared(dataDir: string): Promise<SharedSandbox | null> {
  try {
    const parsed = SharedSandboxSchema.safeParse(JSON.parse(await readFile(sandboxFile(dataDir), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The running bot's sandbox, if there is one that answers. */
export async function findSharedSandbox(dataDir: string): Promise<SharedSandbox | null> {
  const shared = await readShared(dataDir);
  if (!shared || !isAlive(shared.pid)) return null;
  try {
    const answer = await fetch(
      new URL('_sandbox/counters', shared.url.endsWith('/') ? shared.url : `${shared.url}/`),
      {
        signal: AbortSignal.timeout(2_000),
      },
    );
    return answer.ok ? shared : null;
  } catch {
    return null;
  }
}

/** The CLI's Autotask: live as configured; in sandbox mode the bot's sandbox, else its own. */
export async function connectAutotaskForCli(
  config: Config,
  logger?: Logger,
): Promise<SandboxedAutotaskConnection> {
  if (config.autotask.mode === 'sandbox') {
    const shared = await findSharedSandbox(config.dataDir);
    if (shared) {
      const endpoint = { ...sandboxCredentials(config.autotask), zoneUrl: shared.zoneUrl };
      return { ...connectAutotaskAt(config.autotask, endpoint, logger), sandbox: undefined };
    }
  }
  return connectConfiguredAutotask(config, logger);
}

/**
 * The upload lock's key when the CLI uploads to the bot's sandbox (the bot names it by the
 * sandbox's zone URL; the CLI's configuration does not know it). Undefined: the configured key.
 */
export async function sharedSandboxKey(
  config: Config,
  connection: SandboxedAutotaskConnection,
): Promise<string | undefined> {
  if (config.autotask.mode !== 'sandbox' || connection.sandbox) return undefined;
  const shared = await readShared(config.dataDir);
  return shared
    ? autotaskDatabaseKey({ zoneUrl: shared.zoneUrl, username: sandboxCredentials(config.autotask).username })
    : undefined;
}
