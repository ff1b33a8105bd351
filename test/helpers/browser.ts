import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';

/**
 * The browser the console tests drive: Debian's Chromium (`apt-get install
 * chromium`, done by scripts/chromium-local.sh in `.ci/run`), never a
 * downloaded one. SLUICE_CHROMIUM names another executable.
 */
export const CHROMIUM_PATH = process.env.SLUICE_CHROMIUM ?? '/usr/bin/chromium';

/** What the browser suites need, for {@link describeIf}. */
export const CHROMIUM = `Chromium at ${CHROMIUM_PATH} (scripts/chromium-local.sh installs Debian's package)`;

/** Whether the browser is installed here. */
export const HAVE_CHROMIUM = fs.existsSync(CHROMIUM_PATH);

/** Starts headless Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // The sandbox needs user namespaces, which containers (and root) often lack.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

/** A page of a fresh context (its own storage), failing the test on any uncaught page error. */
export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

/**
 * Where tests save screenshots: SLUICE_SCREENSHOTS (docs/images when
 * refreshing the README's pictures), else a temporary directory.
 */
export function screenshotPath(name: string): string {
  const dir = process.env.SLUICE_SCREENSHOTS ?? path.join(os.tmpdir(), 'sluice-screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
