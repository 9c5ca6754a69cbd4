// Readable on a phone: no screen scrolls sideways at 375 px.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signIn, waitForLoaded } from './browser.mjs';
import { useStack, withPage } from './setup.mjs';

const env = useStack();
const PHONE = { width: 375, height: 812 };

const sidewaysOverflow = (page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('no horizontal scroll at 375 px, on every screen', () =>
  withPage(
    env,
    async ({ page }) => {
      await signIn(page, env.stack.tokens.all, '?window=90d');
      await waitForLoaded(page);
      assert.equal(await sidewaysOverflow(page), 0, 'dashboard');

      await page.getByTestId('failed-deployments').getByRole('button').first().click();
      await page.getByTestId('failure-details').waitFor();
      assert.equal(await sidewaysOverflow(page), 0, 'dashboard with a failure open');

      await page.getByRole('link', { name: 'Integrations' }).click();
      await page.getByTestId('connections').waitFor();
      await waitForLoaded(page);
      assert.equal(await sidewaysOverflow(page), 0, 'integrations');
    },
    { viewport: PHONE },
  ));
