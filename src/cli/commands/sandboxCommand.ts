import { sandboxCredentials, sandboxSeed } from '../../sandbox/sandboxConnection.js';
import { DEMO_SANDBOX_CREDENTIALS, startAutotaskSandbox } from '../../sandbox/sandboxServer.js';
import { UsageError, type CliCommand } from '../cliCommand.js';
import { CLI_COMMAND_INFO } from '../commandInfo.js';

const USAGE = CLI_COMMAND_INFO.sandbox.usage;

function parseArgs(args: string[]): { port: number | undefined; seed: string | undefined } {
  let port: number | undefined;
  let seed: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [name, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new UsageError(`${name} needs a value`, USAGE);
      return v;
    };
    if (name === '--port') {
      const v = value();
      if (!/^\d+$/.test(v) || Number(v) > 65535)
        throw new UsageError(`--port must be a port number, not "${v}"`, USAGE);
      port = Number(v);
    } else if (name === '--seed') seed = value();
    else throw new UsageError(`Unknown argument "${arg}"`, USAGE);
  }
  return { port, seed };
}

export const sandboxCommand: CliCommand = {
  ...CLI_COMMAND_INFO.sandbox,
  async run(context, args) {
    const parsed = parseArgs(args);
    const config = context.config();
    const port = parsed.port ?? (config.autotask.sandboxPort || 4100);
    const seedFile = parsed.seed;
    const seed = sandboxSeed(seedFile ?? config.autotask.sandboxSeed);
    const credentials = sandboxCredentials(config.autotask);
    const demo = credentials === DEMO_SANDBOX_CREDENTIALS;
    const sandbox = await startAutotaskSandbox({ port, seed, credentials });
    context.io.out(
      [
        `Autotask sandbox listening on ${sandbox.url}`,
        `Seed: ${seedFile ?? config.autotask.sandboxSeed ?? 'built-in demo'} — ${seed.companies.length} companies, ${seed.contracts.length} contracts, ${seed.services.length} services`,
        '',
        'Point the bot (or `autotask-bot test`) at it with:',
        `  AUTOTASK_ZONE_URL=${sandbox.zoneUrl}`,
        `  AUTOTASK_USERNAME=${credentials.username}`,
        `  AUTOTASK_SECRET=${demo ? credentials.secret : '(the AUTOTASK_SECRET this sandbox was started with)'}`,
        `  AUTOTASK_INTEGRATION_CODE=${credentials.integrationCode}`,
        '',
        `Test controls: ${sandbox.url}/_sandbox/counters (GET counters|writes|snapshot; POST reset|latency|faults|threshold|post-periods)`,
        'Stop with Ctrl-C.',
      ].join('\n'),
    );
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await sandbox.stop();
    context.io.out('Autotask sandbox stopped.');
    return 0;
  },
};
