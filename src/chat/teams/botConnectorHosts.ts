// Where the bot may send Teams replies. An activity names its own `serviceUrl` and botbuilder POSTs
// the answer there; left open, anyone who can reach /api/messages makes the bot call any URL
// (server-side request forgery). With MICROSOFT_APP_ID the token's serviceurl claim must match the
// activity, and on top the host must be one of Microsoft's documented Bot Connector hosts for
// Teams (public cloud, whose regional paths like /amer/ or /emea/ share one host, and the US
// government clouds). In the unauthenticated demo only this machine is reachable.
import { isLoopbackHostname } from '../../http/loopbackNames.js';

/** Teams' Bot Connector hosts as Microsoft documents them for proactive messages. */
export const TEAMS_BOT_CONNECTOR_HOSTS: readonly string[] = [
  'smba.trafficmanager.net', // public cloud (…/teams/, …/amer/, …/emea/, …/apac/, …)
  'smba.infra.gcc.teams.microsoft.com', // US Government Community Cloud (GCC)
  'smba.infra.gov.teams.microsoft.us', // GCC High
  'smba.infra.dod.teams.microsoft.us', // US Department of Defense
];

/** `microsoft`: authenticated Teams; `loopback`: the demo, replies only to this machine. */
export type ServiceUrlPolicy = 'microsoft' | 'loopback';

export const serviceUrlPolicyOf = (teams: { appId: string | undefined }): ServiceUrlPolicy =>
  teams.appId ? 'microsoft' : 'loopback';

/** Why the bot will not send to `serviceUrl` under `policy`, or undefined when it may. */
export function serviceUrlRefusal(serviceUrl: unknown, policy: ServiceUrlPolicy): string | undefined {
  if (typeof serviceUrl !== 'string' || !URL.canParse(serviceUrl)) return 'the serviceUrl is not a URL';
  const url = new URL(serviceUrl);
  if (url.username || url.password) return 'the serviceUrl carries credentials';
  if (policy === 'loopback') {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'the serviceUrl is not http(s)';
    return isLoopbackHostname(url.hostname)
      ? undefined
      : `${url.hostname} is not this machine (without MICROSOFT_APP_ID replies go to loopback only)`;
  }
  if (url.protocol !== 'https:') return 'the serviceUrl is not https';
  if (url.port !== '') return 'the serviceUrl names a port';
  return TEAMS_BOT_CONNECTOR_HOSTS.includes(url.hostname)
    ? undefined
    : `${url.hostname} is not one of Microsoft's Bot Connector hosts for Teams`;
}
