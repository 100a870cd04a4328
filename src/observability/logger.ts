// pino, JSON in production and readable in a terminal, with secrets removed twice over: known
// field names are redacted, and every secret value in force is scrubbed from the raw values of
// each call — message, fields, errors (message, stack, cause), child bindings — before they are
// serialised, in every form a secret is written in (secretScrubber.ts). The written line is
// scrubbed once more, for text pino itself assembles (printf-style arguments).
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { processSecrets, SecretScrubber } from './secretScrubber.js';
import { currentRequestId } from './requestContext.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: string;
  format: 'auto' | 'json' | 'pretty';
  /** secret values to scrub from every line (added to the process's secrets) */
  secrets: readonly string[];
  /** where lines go (tests pass a collecting stream); default stdout */
  destination?: NodeJS.WritableStream;
  /** whose secrets to scrub; default the process's shared scrubber */
  scrubber?: SecretScrubber;
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

/** Scrubs the given secrets and the process's from a text, in every form. */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  return processSecrets.scrubText(new SecretScrubber().add(...secrets).scrubText(text));
}

export function createLogger(options: LoggerOptions): Logger {
  const scrubber = (options.scrubber ?? processSecrets).add(...options.secrets);
  const usePretty =
    options.format === 'pretty' ||
    (options.format === 'auto' && !options.destination && process.stdout.isTTY);
  const sink =
    options.destination ?? (usePretty ? pretty({ sync: true, colorize: true }) : pino.destination(1));
  return pino(
    {
      level: options.level,
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
      // the id of the HTTP request being handled, on every line written while handling it
      mixin: () => {
        const requestId = currentRequestId();
        return requestId === undefined ? {} : { requestId };
      },
      // errors arrive here already as plain, scrubbed objects (type, message, stack, cause); with no
      // secrets known the scrubber passes them through as they are, and pino's own serializer applies
      serializers: {
        err: (value: unknown) => (value instanceof Error ? pino.stdSerializers.err(value) : value),
      },
      formatters: { bindings: (bindings) => scrubber.scrubValue(bindings) },
      hooks: {
        logMethod(args, method) {
          const [first, ...rest] = args as unknown[];
          const scrubbed = rest.map((a) => scrubber.scrubValue(a));
          // pino takes the message of an error logged alone from the error: keep that, scrubbed
          if (first instanceof Error) {
            const message = rest.length === 0 ? [scrubber.scrubText(first.message)] : [];
            return method.apply(this, [
              { err: scrubber.scrubValue(first) },
              ...message,
              ...scrubbed,
            ] as never);
          }
          if (first && typeof first === 'object' && rest.length === 0) {
            const err = (first as { err?: unknown }).err;
            if (err instanceof Error && (first as { msg?: unknown }).msg === undefined)
              return method.apply(this, [
                scrubber.scrubValue(first),
                scrubber.scrubText(err.message),
              ] as never);
          }
          return method.apply(this, [scrubber.scrubValue(first), ...scrubbed] as never);
        },
        streamWrite: (line) => scrubber.scrubText(line),
      },
    },
    sink,
  );
}
