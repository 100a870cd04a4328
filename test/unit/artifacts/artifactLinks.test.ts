import { artifactPublicBase } from '../../../src/artifacts/artifactLinks.js';
import { createArtifactSigner } from '../../../src/artifacts/artifactSigner.js';

describe('artifactPublicBase', () => {
  it('is PUBLIC_URL when set', () => {
    expect(
      artifactPublicBase({ publicUrl: 'https://bot.partner.example', host: '0.0.0.0', port: 3000 }),
    ).toBe('https://bot.partner.example');
  });

  it("is the bot's own address otherwise, a wildcard host read as loopback", () => {
    expect(artifactPublicBase({ publicUrl: undefined, host: '0.0.0.0', port: 3000 })).toBe(
      'http://127.0.0.1:3000',
    );
    expect(artifactPublicBase({ publicUrl: undefined, host: '::1', port: 8080 })).toBe('http://[::1]:8080');
    expect(
      artifactPublicBase({ publicUrl: undefined, host: '127.0.0.1', port: 0 }, 'http://127.0.0.1:41234/'),
    ).toBe('http://127.0.0.1:41234');
  });
});

describe('createArtifactSigner', () => {
  it('accepts its own signature and refuses another id, expiry or key', () => {
    const signer = createArtifactSigner('k'.repeat(32));
    const sig = signer.sign('abc', 1_790_000_000);
    expect(sig).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(signer.verify('abc', 1_790_000_000, sig)).toBe(true);
    expect(signer.verify('abd', 1_790_000_000, sig)).toBe(false);
    expect(signer.verify('abc', 1_790_000_001, sig)).toBe(false);
    expect(createArtifactSigner('j'.repeat(32)).verify('abc', 1_790_000_000, sig)).toBe(false);
    expect(signer.verify('abc', 1_790_000_000, '')).toBe(false);
  });
});
