// Sign-in: a wrong token is refused with a message; the token lives in sessionStorage only;
// signing out, or a token the server stops accepting, returns to sign-in.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signIn, waitForTiles } from './browser.mjs';
import { useStack, withPage } from './setup.mjs';

const env = useStack();

// Chromium logs every 401 answer; these tests provoke them on purpose.
const REFUSED = { allowed: [/status of 401 .*\/(v1\/|graphql)/] };

const storage = (page) =>
  page.evaluate(() => ({
    session: Object.values(sessionStorage),
    local: Object.keys(localStorage),
  }));

test('a wrong token is refused with a message', () =>
  withPage(
    env,
    async ({ page }) => {
      await page.goto('/');
      await page.getByTestId('token-input').fill('llt_not-a-real-token');
      await page.getByRole('button', { name: 'Sign in' }).click();
      const message = page.getByTestId('sign-in-message');
      await message.filter({ hasText: 'not accepted' }).waitFor();
      assert.equal(
        await message.textContent(),
        'That token was not accepted: it is unknown, revoked or expired.',
      );
      assert.deepEqual(await storage(page), { session: [], local: [] });
      assert.equal(await page.getByTestId('overview').count(), 0);
    },
    REFUSED,
  ));

test('the token is kept in sessionStorage only, never in the URL', () =>
  withPage(env, async ({ page }) => {
    const token = env.stack.tokens.all;
    await signIn(page, token, '?window=30d');
    assert.ok(!page.url().includes(token));
    assert.deepEqual(await storage(page), { session: [token], local: [] });
    await page.reload();
    await waitForTiles(page);
    assert.ok(!page.url().includes(token));
  }));

test('signing out returns to sign-in and forgets the token', () =>
  withPage(env, async ({ page }) => {
    await signIn(page, env.stack.tokens.all);
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in').waitFor();
    assert.deepEqual(await storage(page), { session: [], local: [] });
    await page.reload();
    await page.getByTestId('sign-in').waitFor();
  }));

test('a token refused mid-session returns to sign-in with a message', () =>
  withPage(
    env,
    async ({ page }) => {
      await signIn(page, env.stack.tokens.all);
      // The same as a revoked token: the stored one no longer opens anything.
      await page.evaluate(() => {
        for (const key of Object.keys(sessionStorage)) sessionStorage.setItem(key, 'llt_revoked');
      });
      await page.reload();
      const message = page.getByTestId('sign-in-message');
      await message.filter({ hasText: 'no longer accepted' }).waitFor();
      assert.deepEqual((await storage(page)).session, []);
    },
    REFUSED,
  ));
