import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseFlags } from '../../../src/cli/main.js';
import { UsageError } from '../../../src/cli/cliCommand.js';
import { writeReplyFiles } from '../../../src/cli/replyFiles.js';

describe('--png / --csv', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'reply-files-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads the file names as flags, not as command words', () => {
    const flags = parseFlags(['explain', 'acme', 'Visio', '--png', 'out.png', '--csv', 'r.csv']);
    expect(flags.args).toEqual(['explain', 'acme', 'Visio']);
    expect(flags.png).toBe('out.png');
    expect(flags.csv).toBe('r.csv');
  });

  it('refuses a flag without a file name', () => {
    expect(() => parseFlags(['explain', 'acme', '--png'])).toThrow(UsageError);
    expect(() => parseFlags(['reconcile', 'all', '--csv', '--json'])).toThrow(/--csv needs a file name/);
  });

  it('writes the reply file of the asked type, byte for byte', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const csv = Buffer.from('a,b\n1,2\n');
    const target = path.join(dir, 'chart.png');
    const result = await writeReplyFiles(
      {
        files: [
          { name: 'r.csv', contentType: 'text/csv; charset=utf-8', bytes: csv },
          { name: 'c.png', contentType: 'image/png', bytes: png },
        ],
      },
      { png: target },
    );
    expect(result.ok).toBe(true);
    expect(await readFile(target)).toEqual(png);
    expect(result.lines).toEqual([`Wrote 7 bytes to ${target}`]);
  });

  it('says so, and fails, when the answer has no such file', async () => {
    const target = path.join(dir, 'missing.csv');
    const result = await writeReplyFiles({}, { csv: target });
    expect(result.ok).toBe(false);
    expect(result.lines[0]).toMatch(/has no CSV to write/);
    await expect(readFile(target)).rejects.toThrow();
  });
});
