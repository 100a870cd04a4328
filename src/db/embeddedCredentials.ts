// The embedded PostgreSQL's three logins, made with random passwords on first start and kept in
// DATA_DIR/postgres-credentials.json (mode 0600): the cluster's superuser (provisioning only),
// the owner (migrations) and the bot's own service role (everything else). A second process on
// the same DATA_DIR (the CLI while the bot runs) reads the same file.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const CREDENTIALS_FILE = 'postgres-credentials.json';

const LoginSchema = z.object({
  role: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case PostgreSQL role name'),
  password: z.string().min(24),
});

const CredentialsSchema = z.object({
  version: z.literal(1),
  superuser: LoginSchema,
  owner: LoginSchema,
  service: LoginSchema,
});
export type EmbeddedCredentials = z.infer<typeof CredentialsSchema>;
export type EmbeddedLogin = z.infer<typeof LoginSchema>;

export function credentialsPath(dataDir: string): string {
  return path.join(dataDir, CREDENTIALS_FILE);
}

export function randomPassword(): string {
  return randomBytes(32).toString('base64url');
}

/** The file's credentials, or undefined when there is none yet. A wrong file is refused, not replaced. */
export function readEmbeddedCredentials(dataDir: string): EmbeddedCredentials | undefined {
  const file = credentialsPath(dataDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EACCES')
      throw new Error(
        `EMBEDDED_PG_CREDENTIALS_UNREADABLE: ${file} may be read only by the user who first started the bot — run autotask-bot as that user`,
      );
    throw error;
  }
  // a copy that others could read is narrowed back to its owner before it is used
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = CredentialsSchema.safeParse(json);
  if (!parsed.success)
    throw new Error(
      `EMBEDDED_PG_CREDENTIALS_INVALID: ${file} is not a credentials file this version can read (${parsed.error.issues[0]?.message ?? 'not JSON'}) — restore it from a backup`,
    );
  return parsed.data;
}

/** Reads the file, or writes a new one (random passwords, mode 0600) when there is none. */
export function loadOrCreateEmbeddedCredentials(dataDir: string): EmbeddedCredentials {
  const existing = readEmbeddedCredentials(dataDir);
  if (existing) return existing;
  const credentials: EmbeddedCredentials = {
    version: 1,
    superuser: { role: 'postgres', password: randomPassword() },
    owner: { role: 'autotask_bot_owner', password: randomPassword() },
    service: { role: 'autotask_bot_service', password: randomPassword() },
  };
  const file = credentialsPath(dataDir);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(credentials, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  fs.renameSync(temporary, file);
  return credentials;
}

export function loginUrl(login: EmbeddedLogin, port: number, database: string): string {
  return `postgresql://${encodeURIComponent(login.role)}:${encodeURIComponent(login.password)}@127.0.0.1:${port}/${database}`;
}
