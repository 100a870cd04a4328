// The Slack app manifest against Slack's manifest rules (field names, lengths, URL and scope
// rules from Slack's "App manifest reference"), and against what the bot actually serves.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { findCommand } from '../../../../src/chat/commandTable.js';
import { SLACK_EVENTS_PATH } from '../../../../src/chat/slack/slackHttpReceiver.js';
import { SELECT_ACTION_ID } from '../../../../src/chat/slack/blockKitRenderer.js';

const httpsUrl = z.url({ protocol: /^https$/ });
// bot scopes Slack knows (the subset an app like this could ask for)
const KNOWN_BOT_SCOPES = new Set([
  'commands',
  'chat:write',
  'chat:write.public',
  'chat:write.customize',
  'channels:read',
  'groups:read',
  'im:write',
  'users:read',
  'app_mentions:read',
  'im:history',
  'im:read',
]);
/** Slack's events reference: the scope each bot event needs */
const SCOPE_OF_EVENT: Record<string, string> = {
  app_mention: 'app_mentions:read',
  'message.im': 'im:history',
  'message.channels': 'channels:history',
};

const ManifestSchema = z.strictObject({
  _metadata: z.strictObject({ major_version: z.literal(1), minor_version: z.number().int().min(0) }),
  display_information: z.strictObject({
    name: z.string().min(1).max(35),
    description: z.string().max(140),
    background_color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
    long_description: z.string().min(175).max(4000),
  }),
  features: z.strictObject({
    app_home: z.strictObject({
      home_tab_enabled: z.boolean(),
      messages_tab_enabled: z.boolean(),
      messages_tab_read_only_enabled: z.boolean(),
    }),
    bot_user: z.strictObject({
      display_name: z
        .string()
        .min(1)
        .max(80)
        .regex(/^[a-z0-9._-]+$/),
      always_online: z.boolean(),
    }),
    slash_commands: z
      .array(
        z.strictObject({
          command: z.string().regex(/^\/[a-z0-9_-]{1,31}$/),
          url: httpsUrl,
          description: z.string().min(1).max(2000),
          usage_hint: z.string().max(1000),
          should_escape: z.boolean(),
        }),
      )
      .min(1)
      .max(50),
  }),
  oauth_config: z.strictObject({ scopes: z.strictObject({ bot: z.array(z.string()).max(255) }) }),
  settings: z.strictObject({
    event_subscriptions: z.strictObject({
      request_url: httpsUrl,
      bot_events: z
        .array(z.string().regex(/^[a-z_]+(\.[a-z_]+)?$/))
        .min(1)
        .max(100),
    }),
    interactivity: z.strictObject({
      is_enabled: z.boolean(),
      request_url: httpsUrl,
      message_menu_options_url: httpsUrl,
    }),
    org_deploy_enabled: z.boolean(),
    socket_mode_enabled: z.boolean(),
    token_rotation_enabled: z.boolean(),
  }),
});

type Manifest = z.infer<typeof ManifestSchema>;
const manifest = ManifestSchema.parse(parse(readFileSync('manifests/slack/manifest.yml', 'utf8')));

/** bot events whose scope the manifest does not ask for (or that no scope is known for) */
const eventsMissingScopes = (m: Manifest) =>
  m.settings.event_subscriptions.bot_events.filter((event) => {
    const scope = SCOPE_OF_EVENT[event];
    return !scope || !m.oauth_config.scopes.bot.includes(scope);
  });

describe('Slack app manifest', () => {
  it('follows Slack’s manifest rules', () => {
    expect(() =>
      ManifestSchema.parse(parse(readFileSync('manifests/slack/manifest.yml', 'utf8'))),
    ).not.toThrow();
  });

  it('has a bot user and the /autotask command with a usage hint naming real commands', () => {
    expect(manifest.features.bot_user.display_name).toBe('autotask');
    const [command] = manifest.features.slash_commands;
    expect(command!.command).toBe('/autotask');
    const verbs = command!.usage_hint.split('|').map((part) => part.trim().split(' ')[0]!);
    expect(verbs.length).toBeGreaterThan(3);
    for (const verb of verbs) expect(findCommand(verb)).toBeDefined();
  });

  it('sends commands, events, clicks and select options to the route the bot serves', () => {
    const urls = [
      manifest.features.slash_commands[0]!.url,
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
      manifest.settings.interactivity.message_menu_options_url,
    ];
    for (const url of urls) expect(new URL(url).pathname).toBe(SLACK_EVENTS_PATH);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(SELECT_ACTION_ID).toBe('select');
  });

  it('asks for exactly the scopes the bot needs, all of them real', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([
      'app_mentions:read',
      'chat:write',
      'chat:write.public',
      'commands',
      'im:history',
    ]);
    for (const scope of manifest.oauth_config.scopes.bot) expect(KNOWN_BOT_SCOPES.has(scope)).toBe(true);
  });

  it('subscribes to mentions and direct messages, with the scope each needs, and lets people DM the bot', () => {
    const { bot_events } = manifest.settings.event_subscriptions;
    expect([...bot_events].sort()).toEqual(['app_mention', 'message.im']);
    expect(eventsMissingScopes(manifest)).toEqual([]);
    expect(manifest.features.app_home).toMatchObject({
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
  });

  it('would notice an event subscribed without its scope (the check can fail)', () => {
    const broken = structuredClone(manifest);
    broken.oauth_config.scopes.bot = broken.oauth_config.scopes.bot.filter((s) => s !== 'im:history');
    broken.settings.event_subscriptions.bot_events.push('message.channels');
    expect(eventsMissingScopes(broken)).toEqual(['message.im', 'message.channels']);
  });

  it('would be refused by the same rules when it breaks one (the check can fail)', () => {
    const broken = structuredClone(manifest) as {
      features: { slash_commands: { command: string; url: string }[] };
    };
    broken.features.slash_commands[0]!.command = 'autotask';
    broken.features.slash_commands[0]!.url = 'http://bot.example.com/slack/events';
    const result = ManifestSchema.safeParse(broken);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toEqual([
      'features.slash_commands.0.command',
      'features.slash_commands.0.url',
    ]);
  });
});
