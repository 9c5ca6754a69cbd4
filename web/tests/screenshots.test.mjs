// Screenshots of the main views for the documentation, in docs/screenshots/ at the repository
// root. Only with LEADLINE_SCREENSHOTS=1: `LEADLINE_SCREENSHOTS=1 npm run test:browser`.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { signIn, waitForLoaded } from './browser.mjs';
import { useStack, withPage } from './setup.mjs';

const enabled = process.env.LEADLINE_SCREENSHOTS === '1';
const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 812 };

const env = enabled ? useStack() : null;

async function shoot(locator, name) {
  await mkdir(OUT, { recursive: true });
  await locator.screenshot({ path: path.join(OUT, `${name}.png`), animations: 'disabled' });
}

test(
  'screenshots of the main views',
  { skip: !enabled && 'set LEADLINE_SCREENSHOTS=1' },
  async () => {
    await withPage(
      env,
      async ({ page }) => {
        await signIn(page, env.stack.tokens.all, '?window=90d');
        await waitForLoaded(page);
        await page.mouse.move(0, 0);
        await shoot(page, 'overview');

        // The double's pull requests are at the start of its history: a window that holds them.
        const since = new Date(Date.now() - 125 * 86_400_000).toISOString().slice(0, 10);
        await page.goto(`/?since=${since}`);
        await waitForLoaded(page);
        await shoot(page.getByTestId('lead-time'), 'lead-time');

        await page.goto('/?window=90d');
        await waitForLoaded(page);
        await page.getByTestId('failed-deployments').getByRole('button').first().click();
        await page.getByTestId('failure-details').waitFor();
        await shoot(page.getByTestId('deployments'), 'deployments-failure');

        await page.goto('/?window=90d#/integrations');
        await waitForLoaded(page);
        await shoot(page, 'integrations');
      },
      { viewport: LAPTOP },
    );
    await withPage(
      env,
      async ({ page }) => {
        await signIn(page, env.stack.tokens.all, '?window=90d');
        await waitForLoaded(page);
        await shoot(page, 'overview-phone');
      },
      { viewport: PHONE },
    );
  },
);
