import { connectAutotaskForCli } from '../../sandbox/sharedSandbox.js';
import { formatConnectivityReport, testConnectivity } from '../../autotask/connectivityTest.js';
import { UsageError, type CliCommand } from '../cliCommand.js';
import { CLI_COMMAND_INFO } from '../commandInfo.js';

export const testCommand: CliCommand = {
  ...CLI_COMMAND_INFO.test,
  async run(context, args) {
    if (args.length) throw new UsageError(`Unknown argument "${args[0]}"`, this.usage);
    const config = context.config();
    const connection = await connectAutotaskForCli(config); // the running bot's sandbox, in sandbox mode
    try {
      const report = await testConnectivity(connection.client, { budgetShare: config.autotask.budgetShare });
      if (context.flags.json) {
        context.io.out(JSON.stringify({ mode: config.autotask.mode, ...report }, null, 2));
      } else {
        if (connection.sandbox)
          context.io.out(
            `(AUTOTASK_MODE=sandbox: testing a built-in sandbox started for this command at ${connection.sandbox.url})`,
          );
        (report.ok ? context.io.out : context.io.err)(formatConnectivityReport(report));
      }
      return report.ok ? 0 : 1;
    } finally {
      await connection.stop();
    }
  },
};
