// The screens that read through GraphQL (web/src/api/queries.ts): the integrations screen and
// the dashboard's deployments each make one POST /graphql where they made REST calls, show what
// the REST API says, and show GraphQL's errors and refusals as they showed the REST API's.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signIn, waitForLoaded } from './browser.mjs';
import { useStack, withPage } from './setup.mjs';

const env = useStack();

/** The requests made, as "METHOD path" or "POST /graphql Operation". */
const described = (requests) =>
  requests
    .list()
    .map(({ method, path, operation }) => [method, path, operation].filter(Boolean).join(' '));

test('the integrations screen makes one GraphQL request, for what two REST calls gave', () =>
  withPage(env, async ({ page, requests }) => {
    await signIn(page, env.stack.tokens.all, '?window=90d');
    await waitForLoaded(page);
    requests.clear();
    await page.getByRole('link', { name: 'Integrations' }).click();
    await page.getByTestId('connection').waitFor();
    await waitForLoaded(page);
    assert.deepEqual(described(requests), ['POST /graphql IntegrationsScreen']);

    // What it shows is what GET /v1/integrations and GET /v1/doctor say.
    const { body } = await env.stack.api('/v1/integrations');
    const hosts = body.connections.filter((c) => c.incident_tool === null);
    const cards = page.getByTestId('connection');
    assert.equal(await cards.count(), hosts.length);
    const text = await cards.first().innerText();
    assert.ok(text.includes(hosts[0].name));
    assert.match(text, new RegExp(`Selected repositories\\s+${hosts[0].selected_repositories}`));
    const tools = body.connections.filter((c) => c.incident_tool !== null);
    assert.equal(await page.getByTestId('incident-connection').count(), tools.length);
    const { body: doctor } = await env.stack.api('/v1/doctor', { window: '90d' });
    const total = doctor.items.reduce((sum, item) => sum + item.findings.length, 0);
    const note = await page.getByTestId('doctor').locator('.section-note').first().innerText();
    assert.ok(
      note.startsWith(`${total} finding${total === 1 ? '' : 's'} over ${doctor.items.length} `),
      note,
    );

    // A filter changed on the screen asks again, once.
    requests.clear();
    await page.getByTestId('filter-window').selectOption('30d');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="doctor"][aria-busy="false"]'),
    );
    await waitForLoaded(page);
    assert.deepEqual(described(requests), ['POST /graphql IntegrationsScreen']);
  }));

test("the dashboard's deployments come from one GraphQL request, not GET /v1/deployments", () =>
  withPage(env, async ({ page, requests }) => {
    const { items } = await env.stack.apiAll('/v1/deployments', { window: '90d' });
    // A window of at most a hundred deployments is one request (each hundred more, one more).
    assert.ok(items.length > 0 && items.length <= 100, `${items.length} deployments`);
    await signIn(page, env.stack.tokens.all, '?window=90d');
    await waitForLoaded(page);
    const made = described(requests);
    assert.deepEqual(
      made.filter((request) => request.includes('/graphql')),
      ['POST /graphql DashboardDeployments'],
    );
    assert.ok(!made.some((request) => request.startsWith('GET /v1/deployments')), made.join());

    const failed = items.filter((d) => d.failed).length;
    const note = await page.getByTestId('deployments').locator('.section-note').innerText();
    assert.equal(
      note,
      `${items.length} deployment${items.length === 1 ? '' : 's'} in this window, ${failed} failed.`,
    );
    const list = page.getByTestId('failed-deployments').getByRole('button');
    assert.equal(await list.count(), failed);
  }));

test("a GraphQL field's error shows as the REST API's did, and the rest of the screen draws", () =>
  withPage(env, async ({ page }) => {
    const { status, body } = await env.stack.api('/v1/doctor', { repo: 'acme/none' });
    assert.equal(status, 404);
    await signIn(page, env.stack.tokens.all);
    await page.goto('/?repo=acme/none#/integrations');
    const error = page.getByTestId('doctor').getByRole('alert');
    await error.waitFor();
    assert.equal(await error.textContent(), `Could not load the findings: ${body.error}`);
    // The connections are not tied to the scope: they still show.
    await page.getByTestId('connection').waitFor();
    assert.equal(
      await page.getByTestId('connection').getByTestId('connection-status').textContent(),
      'Connected',
    );
  }));

test('a token revoked while the integrations screen is open returns to sign-in', () =>
  withPage(
    env,
    async ({ page, requests }) => {
      const out = await env.stack.leadline(
        ...'tokens create --name graphql-revoked --scopes read --expires 1d'.split(' '),
      );
      const token = /llt_[A-Za-z0-9_-]+/.exec(out)[0];
      await signIn(page, token);
      await page.getByRole('link', { name: 'Integrations' }).click();
      await page.getByTestId('connection').waitFor();
      await waitForLoaded(page);
      await env.stack.leadline('tokens', 'revoke', 'graphql-revoked');
      requests.clear();
      await page.getByTestId('filter-window').selectOption('30d');
      const message = page.getByTestId('sign-in-message');
      await message.filter({ hasText: 'no longer accepted' }).waitFor();
      assert.deepEqual(described(requests), ['POST /graphql IntegrationsScreen']);
    },
    // Chromium logs the refused answer.
    { allowed: [/status of 401 .*\/graphql/] },
  ));
