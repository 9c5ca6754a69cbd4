// People sign in through a real OpenID Provider (its own login and consent pages), land on the
// dashboard and see exactly the projects their groups map to, in the page and in every answer;
// a person in no mapped group is refused with a page saying whom to ask; signing out, or a
// session revoked on the server, ends access; a replayed callback is refused.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitForLoaded, waitForTiles } from './browser.mjs';
import { useStack, withPage } from './setup.mjs';

const env = useStack({ oidc: true });

// Chromium logs every refused answer; these tests provoke them on purpose.
// The provider's own pages ask for a web font this machine cannot reach.
const REFUSED = {
  allowed: [
    /status of (400|401|403|404)/,
    /ERR_NAME_NOT_RESOLVED \(https:\/\/fonts\.googleapis\.com/,
  ],
};

/** Goes through the provider's own pages as `login`; returns the callback URL it came back by. */
async function signInAs(page, login, query = '') {
  let callback = null;
  page.on('request', (request) => {
    if (request.url().includes('/auth/oidc/callback')) callback = request.url();
  });
  await page.goto(`/${query}`);
  const button = page.getByTestId('sign-in-provider');
  assert.equal(await button.textContent(), 'Sign in with Acme SSO');
  await button.click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page
    .waitForURL((url) => !url.pathname.startsWith('/auth/'), { timeout: 15_000 })
    .catch(() => {});
  return callback;
}

/** An API answer with the page's own cookies (and no token). */
async function apiAsPage(page, apiPath) {
  const response = await page.request.get(apiPath);
  return { status: response.status(), body: await response.json() };
}

test('a person signs in with the provider and sees only the projects of their groups', () =>
  withPage(
    env,
    async ({ page, apiBodies }) => {
      const { alpha, beta } = env.stack.projects;
      await signInAs(page, 'alice', '?window=90d');
      await waitForTiles(page);
      assert.equal(new URL(page.url()).search, '?window=90d', 'back where the sign-in began');
      assert.equal(await page.getByTestId('signed-in-as').textContent(), 'alice@example.com');

      const cookies = await page.context().cookies();
      const session = cookies.find((cookie) => cookie.name === 'leadline_session');
      assert.ok(session, 'the session cookie is set');
      assert.equal(session.httpOnly, true);
      assert.equal(session.sameSite, 'Lax');
      // No script reads it, and nothing is kept in the tab's storage.
      assert.ok(!(await page.evaluate(() => document.cookie)).includes('leadline_session'));
      assert.deepEqual(await page.evaluate(() => Object.keys(sessionStorage)), []);

      await page
        .getByTestId('filter-project')
        .locator('option[value="alpha"]')
        .waitFor({ state: 'attached' });
      const projectChoices = await page
        .getByTestId('filter-project')
        .locator('option')
        .evaluateAll((options) => options.map((o) => o.value));
      assert.deepEqual(projectChoices, ['', 'alpha']);
      const repoChoices = await page
        .getByTestId('filter-repo')
        .locator('option')
        .evaluateAll((options) => options.map((o) => o.value));
      assert.deepEqual(repoChoices, ['', ...alpha]);
      await waitForLoaded(page);
      const text = await page.locator('body').innerText();
      for (const repository of beta) {
        assert.ok(!text.includes(repository), `the dashboard shows ${repository}`);
        const leaking = (await apiBodies()).filter((body) => body.includes(repository));
        assert.deepEqual(leaking, [], `answers the page received name ${repository}`);
      }

      // The API itself, with the cookie alone: the same scope as a token for alpha.
      const repositories = await apiAsPage(page, '/v1/repositories?limit=100');
      assert.equal(repositories.status, 200);
      assert.deepEqual(repositories.body.items.map((r) => r.repository).sort(), alpha);
      assert.equal((await apiAsPage(page, '/v1/metrics/dora?project=beta')).status, 404);
      const me = await apiAsPage(page, '/auth/session');
      assert.deepEqual(me.body, {
        name: 'person alice@example.com',
        session: true,
        scopes: ['read'],
        projects: ['alpha'],
      });
      // A viewer may not push, and a cookie from elsewhere may not change anything.
      const push = await page.request.post('/v1/deployments', { data: {} });
      assert.equal(push.status(), 403);

      await page.getByTestId('sign-out').click();
      await page.getByTestId('sign-in').waitFor();
      assert.equal((await apiAsPage(page, '/v1/repositories')).status, 401);
      await page.reload();
      await page.getByTestId('sign-in').waitFor();
    },
    REFUSED,
  ));

test('a person in no mapped group is refused with a page that says whom to ask', () =>
  withPage(
    env,
    async ({ page }) => {
      await signInAs(page, 'carol');
      const refused = page.getByTestId('sign-in-refused');
      await refused.waitFor();
      const text = await refused.innerText();
      assert.match(text, /No access yet/);
      assert.match(text, /carol@example\.com/);
      assert.match(text, /#leadline-help/);
      assert.ok(!(await page.context().cookies()).some((c) => c.name === 'leadline_session'));
      assert.equal((await apiAsPage(page, '/v1/repositories')).status, 401);
      const audit = await env.stack.leadline('audit', '--limit', '20');
      assert.match(audit, /person carol@example\.com\s+403 GET\s+\/auth\/oidc\/callback/);
    },
    REFUSED,
  ));

test('a session revoked on the server ends at the next request', () =>
  withPage(
    env,
    async ({ page }) => {
      await signInAs(page, 'bob');
      await waitForTiles(page);
      const repositories = await apiAsPage(page, '/v1/repositories?limit=100');
      assert.deepEqual(
        repositories.body.items.map((r) => r.repository).sort(),
        env.stack.projects.beta,
      );
      const listed = await env.stack.leadline('sessions', 'list');
      assert.match(listed, /bob@example\.com/);
      assert.match(
        await env.stack.leadline('sessions', 'revoke', 'bob@example.com'),
        /1 session\(s\) ended/,
      );
      assert.equal((await apiAsPage(page, '/v1/repositories')).status, 401);
      await page.reload();
      await page.getByTestId('sign-in').waitFor();
      assert.match(await env.stack.leadline('sessions', 'list'), /bob@example\.com .*revoked/);
    },
    REFUSED,
  ));

test('a callback replayed after the sign-in finished is refused', () =>
  withPage(
    env,
    async ({ page }) => {
      const callback = await signInAs(page, 'alice');
      await waitForTiles(page);
      assert.ok(callback, 'the provider sent the browser back to the callback');
      await page.goto(callback);
      const refused = page.getByTestId('sign-in-refused');
      await refused.waitFor();
      assert.match(await refused.innerText(), /expired or was finished already/);
      // A state that was never issued fares the same.
      const forged = new URL(callback);
      forged.searchParams.set('state', 'forged');
      await page.goto(forged.toString());
      await refused.waitFor();
      assert.match(await refused.innerText(), /expired or was finished already/);
    },
    REFUSED,
  ));
