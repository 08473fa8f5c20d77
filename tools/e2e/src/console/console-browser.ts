import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expectEventually, WORKSPACE_ROOT } from '@tongban/testing';

/** Debian's chromium package (the project's set-up installs it); never a downloaded browser. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export const SCREENSHOT_DIR = path.join(WORKSPACE_ROOT, 'dist/artifacts/console');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // Root in CI has no user namespace for the sandbox; the pages are our own.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--lang=zh-CN'],
  });
}

export const DESKTOP = {
  viewport: { width: 1366, height: 900 },
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
};
export const PHONE = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
};

export interface ScreenCheck {
  readonly screen: string;
  readonly file: string;
  /** axe-core's serious and critical violations: rule, impact and the elements. */
  readonly violations: string[];
}

/** A PNG of the whole page, and axe-core's scan of it (WCAG 2.1 A and AA rules). */
export async function captureScreen(page: Page, screen: string): Promise<ScreenCheck> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // A dialog fading out is drawn at partial opacity: scanned then, its text fails contrast checks
  // no person would see. Wait for the page's finite CSS animations and transitions to end (a
  // spinner's run forever).
  await page.waitForFunction(
    "document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity)",
  );
  const file = path.join(SCREENSHOT_DIR, `${screen}.png`);
  await page.screenshot({ path: file, fullPage: true });
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const violations = result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.nodes
          .slice(0, 5)
          .map((node) => node.target.join(' '))
          .join(' | ')}`,
    );
  return { screen, file, violations };
}

/** A browser context per person, each signed in through the console's development sign-in. */
export async function signedIn(
  browser: Browser,
  baseUrl: string,
  userId: string,
  options: typeof DESKTOP | typeof PHONE = DESKTOP,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ...options, baseURL: baseUrl });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.locator(`button[data-user="${userId}"]`).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  return { context, page };
}

/** antd's searchable Select: type, then take the first option that matches. */
export async function choose(page: Page, inputId: string, text: string): Promise<void> {
  const input = page.locator(`#${inputId}`);
  await input.click();
  await input.fill(text);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().waitFor();
  await page.keyboard.press('Enter');
}

/** Clicks the page's refresh button until `ready` finds what it waits for (events are asynchronous). */
export async function refreshUntil(
  page: Page,
  ready: () => Promise<boolean>,
  timeoutMs = 60000,
): Promise<void> {
  await expectEventually(
    async () => {
      if (await ready()) return;
      await page
        .getByRole('button', { name: /^(刷新|Refresh)$/ })
        .first()
        .click();
      await page.waitForLoadState('networkidle');
      if (!(await ready())) throw new Error(`not there yet on ${page.url()}`);
    },
    { timeoutMs, intervalMs: 500 },
  );
}

/** A scribble on the dialog's signature pad, as a finger draws it, until the dialog takes it. */
export async function sign(page: Page): Promise<void> {
  const dialog = page.getByRole('dialog');
  const pad = dialog.locator('canvas.signature-pad');
  await expectEventually(
    async () => {
      // The dialog zooms in: the pad is where the box says only once that has finished.
      const box = await pad.boundingBox({ timeout: 2000 });
      if (!box) throw new Error('no signature pad on screen');
      await page.mouse.move(box.x + 20, box.y + 30);
      await page.mouse.down();
      for (let step = 1; step <= 10; step++)
        await page.mouse.move(box.x + 20 + step * 15, box.y + 30 + (step % 2) * 40);
      await page.mouse.up();
      if (await dialog.locator('.ant-btn-primary').isDisabled())
        throw new Error('the signature was not taken');
    },
    { timeoutMs: 10000, intervalMs: 300 },
  ).catch(async (error: Error) => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'failed-signature.png') });
    throw error;
  });
}
