// Which connections may pick an identity in the demo playground: only those from this machine.
import { isLoopbackAddress } from '../../../src/playground/playgroundAccess.js';

describe('isLoopbackAddress', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '127.255.255.254',
    '::1',
    '0:0:0:0:0:0:0:1',
    '::ffff:127.0.0.1',
    '::FFFF:127.9.9.9',
  ])('%s is this machine', (address) => expect(isLoopbackAddress(address)).toBe(true));

  it.each([
    undefined,
    '',
    '192.0.2.2',
    '10.0.0.1',
    '128.0.0.1',
    '1127.0.0.1',
    '127.0.0.1.evil',
    '::ffff:192.168.1.5',
    'fd00::2',
    '::2',
    '::ffff:127.0.0.1x',
  ])('%s is not', (address) => expect(isLoopbackAddress(address)).toBe(false));
});
