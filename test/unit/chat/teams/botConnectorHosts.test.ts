// Where Teams replies may go (src/chat/teams/botConnectorHosts.ts): with MICROSOFT_APP_ID only
// Microsoft's documented Bot Connector hosts over https; in the demo only this machine.
import {
  serviceUrlPolicyOf,
  serviceUrlRefusal,
  TEAMS_BOT_CONNECTOR_HOSTS,
} from '../../../../src/chat/teams/botConnectorHosts.js';

describe('the Bot Connector allowlist (authenticated Teams)', () => {
  it.each([
    'https://smba.trafficmanager.net/teams/',
    'https://smba.trafficmanager.net/amer/',
    'https://smba.trafficmanager.net/emea/',
    'https://SMBA.trafficmanager.net/apac/',
    'https://smba.infra.gcc.teams.microsoft.com/teams',
    'https://smba.infra.gov.teams.microsoft.us/teams',
    'https://smba.infra.dod.teams.microsoft.us/teams',
  ])('lets replies go to %s', (url) => {
    expect(serviceUrlRefusal(url, 'microsoft')).toBeUndefined();
  });

  it.each([
    ['http://smba.trafficmanager.net/amer/', 'not https'],
    ['https://smba.trafficmanager.net:8443/amer/', 'names a port'],
    ['https://smba.trafficmanager.net.evil.example/amer/', 'not one of Microsoft'],
    ['https://evil-smba.trafficmanager.net/amer/', 'not one of Microsoft'],
    ['https://user:pw@smba.trafficmanager.net/amer/', 'carries credentials'],
    ['https://169.254.169.254/latest/meta-data/', 'not one of Microsoft'],
    ['http://127.0.0.1:3978/', 'not https'],
    ['https://localhost/', 'not one of Microsoft'],
    ['not a url', 'not a URL'],
  ])('refuses %s (%s)', (url, why) => {
    expect(serviceUrlRefusal(url, 'microsoft')).toContain(why);
  });

  it('refuses what is not a string', () => {
    expect(serviceUrlRefusal(undefined, 'microsoft')).toContain('not a URL');
    expect(serviceUrlRefusal({ href: 'https://smba.trafficmanager.net/' }, 'microsoft')).toContain(
      'not a URL',
    );
  });

  it('is the four documented hosts, nothing else', () => {
    expect([...TEAMS_BOT_CONNECTOR_HOSTS].sort()).toEqual([
      'smba.infra.dod.teams.microsoft.us',
      'smba.infra.gcc.teams.microsoft.com',
      'smba.infra.gov.teams.microsoft.us',
      'smba.trafficmanager.net',
    ]);
  });
});

describe('the demo (no MICROSOFT_APP_ID): loopback only', () => {
  it.each(['http://127.0.0.1:3978/', 'http://localhost:1234/x', 'http://[::1]:80/', 'https://127.0.0.2/'])(
    'lets replies go to %s',
    (url) => {
      expect(serviceUrlRefusal(url, 'loopback')).toBeUndefined();
    },
  );

  it.each([
    'https://smba.trafficmanager.net/amer/',
    'http://10.0.0.5:3978/',
    'http://169.254.169.254/latest/meta-data/',
    'http://127.0.0.1.evil.example/',
    'http://localhost.evil.example/',
    'file:///etc/passwd',
    'http://user:pw@127.0.0.1/',
  ])('refuses %s', (url) => {
    expect(serviceUrlRefusal(url, 'loopback')).toBeDefined();
  });

  it('follows MICROSOFT_APP_ID', () => {
    expect(serviceUrlPolicyOf({ appId: 'app' })).toBe('microsoft');
    expect(serviceUrlPolicyOf({ appId: undefined })).toBe('loopback');
  });
});
