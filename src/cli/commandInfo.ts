// What `help` prints about each CLI command, apart from the commands themselves: `help` reads
// this file only, so it starts without loading a database client, Bolt or the sandbox
// (docs/cli.md, "Start-up time"). Each command module spreads its entry, so the text lives here once.
export interface CliCommandInfo {
  name: string;
  usage: string;
  summary: string;
}

export const CLI_COMMAND_INFO = {
  serve: {
    name: 'serve',
    usage: 'autotask-bot serve',
    summary: 'run the bot: HTTP server, chat adapters, jobs (what `npm start` runs)',
  },
  status: {
    name: 'status',
    usage: 'autotask-bot status [--json]',
    summary: 'database, configuration and settings of this installation (works while the bot runs)',
  },
  test: {
    name: 'test',
    usage: 'autotask-bot test [--json]',
    summary: 'check the Autotask connection: zone, credentials, permissions, latency, API budget',
  },
  verifyTenant: {
    name: 'verify-tenant',
    usage:
      'autotask-bot verify-tenant [--write-probe <contract id> [--service <id>] [--yes]] [--as <admin>] [--json]',
    summary:
      'first-day check of the Autotask tenant (admin): a report card; --write-probe on a "… verify …" contract observes what uploads rely on',
  },
  sandbox: {
    name: 'sandbox',
    usage: 'autotask-bot sandbox [--port 4100] [--seed <file.json>]',
    summary: 'run the built-in Autotask sandbox alone (a test stand-in for one Autotask database)',
  },
  import: {
    name: 'import',
    usage: 'autotask-bot import <file> [--dry-run] [--skip-invalid]',
    summary: 'import subscription history from a CSV or JSON file (one file = one transaction)',
  },
  customers: {
    name: 'customers',
    usage: 'autotask-bot customers [filter]',
    summary: 'list customers (name, external id, subscriptions); filter matches name, external id or domain',
  },
  chat: {
    name: 'chat',
    usage: 'autotask-bot [chat] <chat command> [--as <user>]',
    summary:
      'any chat command (validate, map, approve, roles, …) through the chat router; `chat help` lists them',
  },
  autoApprove: {
    name: 'auto-approve',
    usage: 'autotask-bot auto-approve [on <max units per customer> | off]',
    summary:
      'show or set the auto-approve policy of scheduled runs (increases only, at most N units per customer)',
  },
  fourEyes: {
    name: 'four-eyes',
    usage: 'autotask-bot four-eyes [on | off]',
    summary: 'show or set whether an upload needs a second person to approve it (sync.four_eyes, default on)',
  },
  playgroundToken: {
    name: 'playground-token',
    usage: 'autotask-bot playground-token <user or identity> [--revoke]',
    summary: 'a personal token for the web playground against a live Autotask (PLAYGROUND=on)',
  },
  audit: {
    name: 'audit',
    usage: 'autotask-bot audit verify [--anchor <row>:<hash>] [--json]',
    summary:
      "check the audit log's hash chain; names the first altered or missing row (exit 1). `audit [customer]` lists records",
  },
} as const satisfies Record<string, CliCommandInfo>;
