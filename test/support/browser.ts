/**
 * Headless Chromium for console tests: Debian's `chromium` package driven by playwright-core (no
 * browser download), a fresh profile per launch, nothing fetched from outside (background
 * networking, component updates and sync off). .ci/run installs the package when it is missing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const chromiumPath = process.env['CALLHOOK_CHROMIUM'] ?? '/usr/bin/chromium';

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Page errors and console errors seen so far (a console that throws fails its test). */
  problems: string[];
  close(): Promise<void>;
}

export async function launchBrowser(viewport = { width: 1280, height: 800 }): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'callhook-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport,
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
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // A resource or inline style the Content-Security-Policy refused shows as a console error.
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
  });
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Screenshots for a person to look at, only when CALLHOOK_SCREENSHOTS names a directory (never the repo). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env['CALLHOOK_SCREENSHOTS'];
  if (dir === undefined || dir === '') return;
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
