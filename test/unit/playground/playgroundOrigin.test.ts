// Which Host and Origin the playground answers (src/playground/playgroundOrigin.ts): the bot's own
// names with the port the connection arrived on, PUBLIC_URL — never a name an attacker controls.
import { foreignRequestRefusal, type OwnAddress } from '../../../src/playground/playgroundOrigin.js';

const direct: OwnAddress = { publicUrl: undefined, localAddress: '127.0.0.1', localPort: 3000 };
const refusal = (host: string | undefined, origin?: string, own: OwnAddress = direct) =>
  foreignRequestRefusal({ host, origin }, own);

describe('the playground answers its own names only', () => {
  it.each([
    ['127.0.0.1:3000', undefined],
    ['localhost:3000', 'http://localhost:3000'],
    ['[::1]:3000', 'http://[::1]:3000'],
    ['127.0.0.1:3000', 'http://localhost:3000'],
  ])('Host %s, Origin %s: answered', (host, origin) => {
    expect(refusal(host, origin)).toBeUndefined();
  });

  it.each([
    [undefined, undefined, 'Host'],
    ['rebind.example:3000', undefined, 'Host'],
    ['localhost.rebind.example:3000', undefined, 'Host'],
    ['127.0.0.1:3001', undefined, 'Host'],
    ['127.0.0.1', undefined, 'Host'],
    ['user@127.0.0.1:3000', undefined, 'Host'],
    ['127.0.0.1:3000', 'https://evil.example', 'Origin'],
    ['127.0.0.1:3000', 'null', 'Origin'],
    ['127.0.0.1:3000', 'https://127.0.0.1:3000', 'Origin'],
    ['127.0.0.1:3000', 'chrome-extension://abc', 'Origin'],
  ])('Host %s, Origin %s: refused (%s)', (host, origin, what) => {
    expect(refusal(host, origin)).toBe(`its ${what} is not this bot`);
  });

  it('answers the IP the connection arrived on (a LAN client), not another one', () => {
    const lan: OwnAddress = { publicUrl: undefined, localAddress: '::ffff:10.0.0.5', localPort: 3000 };
    expect(refusal('10.0.0.5:3000', 'http://10.0.0.5:3000', lan)).toBeUndefined();
    expect(refusal('10.0.0.6:3000', undefined, lan)).toBeDefined();
    const v6: OwnAddress = { publicUrl: undefined, localAddress: 'fd00::5', localPort: 3000 };
    expect(refusal('[fd00::5]:3000', undefined, v6)).toBeUndefined();
  });

  it('answers PUBLIC_URL with its scheme and port', () => {
    const proxied: OwnAddress = {
      publicUrl: 'https://bot.example',
      localAddress: '127.0.0.1',
      localPort: 3000,
    };
    expect(refusal('bot.example', 'https://bot.example', proxied)).toBeUndefined();
    expect(refusal('bot.example:443', 'https://bot.example:443', proxied)).toBeUndefined();
    expect(refusal('BOT.example', undefined, proxied)).toBeUndefined();
    expect(refusal('bot.example', 'http://bot.example', proxied)).toBeDefined();
    expect(refusal('bot.example:3000', undefined, proxied)).toBeDefined();
    const plain: OwnAddress = {
      publicUrl: 'http://bot.lan:8080',
      localAddress: '127.0.0.1',
      localPort: 3000,
    };
    expect(refusal('bot.lan:8080', 'http://bot.lan:8080', plain)).toBeUndefined();
    expect(refusal('bot.lan', undefined, plain)).toBeDefined();
  });
});
