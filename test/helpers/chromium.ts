// Debian's Chromium under Playwright: installed by test/e2e/ensureChromium.sh when missing, a
// fresh profile per launch, and the flags that keep it quiet and offline.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export function ensureChromium(): void {
  if (fs.existsSync(CHROMIUM)) return;
  execFileSync('bash', [path.resolve('test/e2e/ensureChromium.sh')], { stdio: 'inherit' });
}

export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  ensureChromium();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'autotask-bot-chromium-'));
  // launchPersistentContext is Playwright's way to give Chromium its --user-data-dir
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1500, height: 1000 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
