// pino, JSON in production and readable in a terminal, with secrets removed twice over: known
// field names are redacted, and every configured secret value is scrubbed from each written
// line (so a secret that ends up inside an error message is still never written).
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: string;
  format: 'auto' | 'json' | 'pretty';
  /** secret values to scrub from every line */
  secrets: readonly string[];
  /** where lines go (tests pass a collecting stream); default stdout */
  destination?: NodeJS.WritableStream;
}

const REDACTED_PATHS = [
  '*.secret',
  '*.password',
  '*.token',
  '*.apiKey',
  'req.headers.authorization',
  'req.headers.secret',
  'req.headers["x-slack-signature"]',
  'headers.Secret',
  'headers.authorization',
];

export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[REDACTED]');
  }
  return out;
}

export function createLogger(options: LoggerOptions): Logger {
  const usePretty =
    options.format === 'pretty' ||
    (options.format === 'auto' && !options.destination && process.stdout.isTTY);
  const sink =
    options.destination ?? (usePretty ? pretty({ sync: true, colorize: true }) : pino.destination(1));
  return pino(
    {
      level: options.level,
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
      hooks: { streamWrite: (line) => scrubSecrets(line, options.secrets) },
    },
    sink,
  );
}
