// .env.example is generated from src/config.ts and the README "Configuration" table; the checked-in
// file must be what the generator writes now, and what it writes must be right.
import { readFileSync } from 'node:fs';
import { EnvSchema, SECRET_VARIABLES, loadConfig } from '../../../src/config.js';
import { configVariables } from '../../../src/configDocs/configVariables.js';
import { ENV_EXAMPLE_COMMAND, renderEnvExample } from '../../../src/configDocs/envExample.js';

const root = (file: string) => new URL(`../../../${file}`, import.meta.url);
const readme = readFileSync(root('README.md'), 'utf8');
const generated = () => renderEnvExample(configVariables(readme));

/** NAME → value of every "# NAME=value" line */
const settings = (text: string) =>
  new Map([...text.matchAll(/^# ([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1]!, m[2]!] as const));

describe('.env.example', () => {
  it(`is what \`${ENV_EXAMPLE_COMMAND}\` writes from src/config.ts and README.md`, () => {
    const checkedIn = readFileSync(root('.env.example'), 'utf8');
    const expected = generated();
    if (checkedIn !== expected) {
      const a = checkedIn.split('\n');
      const b = expected.split('\n');
      let line = 0;
      while (a[line] === b[line]) line += 1;
      throw new Error(
        `.env.example is out of date: run \`${ENV_EXAMPLE_COMMAND}\` and commit it.\n` +
          `First difference, line ${line + 1}:\n  checked in: ${a[line]}\n  generated:  ${b[line]}`,
      );
    }
  });

  it('names every variable of the schema once, with secrets blank and descriptions above them', () => {
    const text = generated();
    const lines = [...text.matchAll(/^# ([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
    expect([...lines].sort()).toEqual(Object.keys(EnvSchema.shape).sort());
    for (const name of SECRET_VARIABLES) {
      expect(text).toMatch(new RegExp(`^# ${name}=$`, 'm'));
      expect(text).toMatch(new RegExp(`^# ${name} 🔒 \\(secret\\): `, 'm'));
    }
    expect(text).toMatch(/^# PORT: HTTP port .*\n# PORT=3000$/m);
    expect(text).toMatch(
      /^# INGEST_API_KEY 🔒 \(secret\): bearer key for POST \/api\/ingest\/\*.*\n# default: unset \(ingest API off\)\n# INGEST_API_KEY=$/m,
    );
    expect(text).not.toMatch(/`|\]\(/); // no markdown left
    for (const line of text.split('\n')) expect(line === '' || line.startsWith('#')).toBe(true);
  });

  it('holds the schema defaults: every value it shows, set, gives the configuration of an empty environment', () => {
    const shown = Object.fromEntries([...settings(generated())].filter(([, v]) => v !== ''));
    expect(Object.keys(shown).length).toBeGreaterThan(25);
    expect(shown).toMatchObject({
      PORT: '3000',
      HOST: '127.0.0.1',
      PAX8_BASE_URL: 'https://api.pax8.com/v1',
    });
    expect(loadConfig(shown)).toEqual(loadConfig({}));
  });

  it('writes a secret blank even if it had a default', () => {
    const text = renderEnvExample([
      { name: 'SOME_KEY', secret: true, default: 'hunter2-hunter2', defaultInWords: '`x`', meaning: 'a key' },
    ]);
    expect(settings(text).get('SOME_KEY')).toBe('');
    expect(text).not.toContain('hunter2');
  });
});

describe('the configuration reference it is generated from', () => {
  const row = (name: string) => new RegExp(`^\\| \`${name}\`.*\\n`, 'm');

  it('refuses a variable of the schema that the README does not describe, naming it', () => {
    expect(() => configVariables(readme.replace(row('SANDBOX_PORT'), ''))).toThrow(
      /SANDBOX_PORT is read by src\/config.ts but has no row in the README "Configuration" table/,
    );
  });

  it('refuses a secret the README does not mark 🔒, and a README row for no variable', () => {
    expect(() =>
      configVariables(readme.replace('| `SLACK_APP_TOKEN` 🔒 |', '| `SLACK_APP_TOKEN` |')),
    ).toThrow(/SLACK_APP_TOKEN is in SECRET_VARIABLES but not marked 🔒/);
    expect(() =>
      configVariables(readme.replace('| `PORT` |', '| `NOT_READ` | unset | nothing |\n| `PORT` |')),
    ).toThrow(/the README documents NOT_READ, which src\/config.ts does not read/);
  });
});
