// The few lines a person sees first after `npm start`: what runs for real, what is a stand-in
// (demo), where the playground is, and which variables switch each part to the real thing.
// Plain text on stdout, whatever the log format, so it reads the same in a terminal and a log.
import type { Config } from '../config.js';
import type { PlaygroundAccess } from '../playground/playgroundAccess.js';
import { DEMO_PEOPLE, type DemoPreparation } from './demoMode.js';

export interface BannerFacts {
  config: Config;
  url: string;
  sandboxUrl: string | undefined;
  demo: DemoPreparation | undefined;
  playground: { access: PlaygroundAccess; path: string | undefined };
  teams: 'off' | 'unauthenticated' | 'on';
}

export function startupBanner(facts: BannerFacts): string {
  const { config, url } = facts;
  const rows: [string, string, string][] = [];
  rows.push(
    config.databaseUrl
      ? ['Database', 'real: DATABASE_URL', '']
      : [
          'Database',
          `DEMO — embedded PostgreSQL in ${config.dataDir}`,
          'set DATABASE_URL=postgresql://… for your own server',
        ],
  );
  rows.push(
    config.autotask.mode === 'sandbox'
      ? [
          'Autotask',
          `DEMO — built-in sandbox${config.autotask.sandboxSeed ? ` (seed ${config.autotask.sandboxSeed})` : ' with the demo tenant'} at ${facts.sandboxUrl ?? '?'}`,
          'set AUTOTASK_USERNAME, AUTOTASK_SECRET, AUTOTASK_INTEGRATION_CODE (AUTOTASK_MODE=live)',
        ]
      : ['Autotask', `real: ${config.autotask.username ?? 'live'}`, ''],
  );
  rows.push(
    facts.demo
      ? [
          'Data',
          `DEMO — generated demo partner, ${facts.demo.customers} customers${facts.demo.imported ? ' (imported now)' : ' (kept from before)'}${facts.demo.from === 'pax8' ? ', from the Pax8 stand-in (`sources`)' : ''}`,
          'yours: PAX8_* or PARTNER_CENTER_* settings, or npx autotask-bot import <file.csv>; DEMO_PARTNER=off',
        ]
      : ['Data', 'your imports and the ingest API', ''],
  );
  rows.push(
    config.slack.botToken
      ? ['Slack', 'real: SLACK_BOT_TOKEN', '']
      : ['Slack', 'off', 'set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN)'],
  );
  rows.push(
    facts.teams === 'on'
      ? ['Teams', 'real: MICROSOFT_APP_ID', '']
      : facts.teams === 'unauthenticated'
        ? [
            'Teams',
            `DEMO — unauthenticated on ${url}/api/messages`,
            'set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD',
          ]
        : ['Teams', 'off', 'set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD'],
  );
  const access = facts.playground.access;
  rows.push(
    access.on
      ? [
          'Playground',
          `${url}${facts.playground.path ?? ''}${access.authenticated ? ' (token: npx autotask-bot playground-token <user>)' : ''}`,
          'PLAYGROUND=off hides it',
        ]
      : ['Playground', `off (${access.reason})`, 'PLAYGROUND=on'],
  );
  const width = Math.max(...rows.map(([, what]) => what.length));
  const line = '─'.repeat(Math.min(100, width + 16));
  return [
    line,
    ` autotask-bot is running on ${url}`,
    ...rows.map(([part, what, how]) =>
      `   ${part.padEnd(11)}${what.padEnd(width)}${how ? `   → ${how}` : ''}`.trimEnd(),
    ),
    ...(access.on && !access.authenticated
      ? [
          ` Start here: open ${url}${facts.playground.path ?? ''} (the README's "Guided tour" walks through it)`,
          // the Docker image listens on 0.0.0.0: the network must not get to be cli:admin
          ` You pick who you are (${DEMO_PEOPLE.map((p) => p.identity).join(', ')}) only from this machine; from another, use a token: npx autotask-bot playground-token <user>`,
        ]
      : [` Start here: npx autotask-bot help`]),
    line,
  ].join('\n');
}
