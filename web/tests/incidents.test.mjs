// The dashboard's incidents: each incident of the scope and window with the deployment it was
// tied to and by which rule, or "Not tied" and why, as GET /v1/incidents says; one request.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signIn, waitForLoaded } from './browser.mjs';
import { useStack, withPage } from './setup.mjs';

const env = useStack();

const RULE_WORDS = {
  named: 'the incident names it',
  commit: 'the incident names a commit it shipped',
  window: 'the last deployment before it began',
};

test('each incident shows the deployment it was tied to and why, or why it was not', () =>
  withPage(env, async ({ page, requests }) => {
    const { items } = await env.stack.apiAll('/v1/incidents', { window: '90d' });
    // The stack's incidents: one named its deployment, one tied by time, one tied by nothing.
    assert.deepEqual(items.map((i) => i.linked_by).sort(), ['named', 'none', 'window']);
    await signIn(page, env.stack.tokens.all, '?window=90d');
    await waitForLoaded(page);
    assert.equal(
      requests.list().filter((r) => r.path === '/v1/incidents').length,
      1,
      'one request for the panel',
    );

    const panel = page.getByTestId('incidents');
    const rows = panel.getByTestId('incident');
    assert.equal(await rows.count(), items.length);
    assert.equal(
      await panel.locator('.section-note').innerText(),
      `${items.length} incidents in this window, ${items.length - 1} tied to a deployment.`,
    );
    for (const [index, incident] of items.entries()) {
      const row = rows.nth(index);
      assert.equal(await row.getAttribute('data-incident'), incident.id, 'newest begun first');
      assert.equal(await row.getAttribute('data-linked-by'), incident.linked_by);
      assert.ok((await row.innerText()).includes(incident.repository));
      const tie = await row.getByTestId('incident-tie').innerText();
      if (incident.linked_by === 'none') {
        assert.ok(incident.not_tied, 'the API says why');
        assert.equal(tie, `Not tied: ${incident.not_tied}`);
      } else {
        assert.equal(tie, `${incident.deployment} (${RULE_WORDS[incident.linked_by]})`);
      }
    }
  }));

test('a scope without incidents says so', () =>
  withPage(env, async ({ page }) => {
    const { items } = await env.stack.apiAll('/v1/incidents', { window: '90d', project: 'beta' });
    assert.equal(items.length, 0);
    await signIn(page, env.stack.tokens.all, '?window=90d&project=beta');
    const panel = page.getByTestId('incidents');
    const state = panel.locator('.state-empty');
    await state.waitFor();
    assert.equal(await state.innerText(), 'No incidents in this window.');
    assert.equal(await panel.getByTestId('incident').count(), 0);
  }));

test("the API's refusal shows in the panel, as the other panels show theirs", () =>
  withPage(
    env,
    async ({ page }) => {
      const { status, body } = await env.stack.api(
        '/v1/incidents',
        { project: 'beta' },
        env.stack.tokens.alpha,
      );
      assert.equal(status, 404);
      await signIn(page, env.stack.tokens.alpha);
      await page.goto('/?project=beta');
      const error = page.getByTestId('incidents').getByRole('alert');
      await error.waitFor();
      assert.equal(await error.textContent(), `Could not load the incidents: ${body.error}`);
    },
    { allowed: [/status of 404 .*\/v1\/(metrics\/dora|pull-requests|incidents)\?project=beta/] },
  ));
