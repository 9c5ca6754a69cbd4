// The integrations screen: each Bitbucket connection and how current it is, and the doctor's
// findings per repository.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signIn, waitForLoaded } from './browser.mjs';
import { useStack, withPage } from './setup.mjs';

const env = useStack();

test('the connection shows as Connected, with what the API says of it', () =>
  withPage(env, async ({ page }) => {
    const { status, body } = await env.stack.api('/v1/integrations/bitbucket');
    assert.equal(status, 200);
    assert.equal(body.connections.length, 1);
    const [connection] = body.connections;

    await signIn(page, env.stack.tokens.all, '?window=30d');
    await page.getByRole('link', { name: 'Integrations' }).click();
    assert.equal(new URL(page.url()).hash, '#/integrations');
    assert.equal(new URL(page.url()).search, '?window=30d', 'the filters stay in the URL');
    const card = page.getByTestId('connection');
    await card.waitFor();
    assert.equal(await card.getByTestId('connection-status').textContent(), 'Connected');
    const text = await card.innerText();
    assert.ok(text.includes(connection.name));
    assert.ok(text.includes(connection.edition));
    assert.match(text, new RegExp(`Selected repositories\\s+${connection.selected_repositories}`));
    // The server's reconciliation poll, as the API says: the test stack's is off.
    assert.equal(body.reconciliation.every_s, null);
    assert.equal(
      await page.getByTestId('reconciliation').innerText(),
      'Reconciliation poll: off; only webhooks keep data current.',
    );
  }));

test('a token of one project is not shown the poll, which syncs every project', () =>
  withPage(env, async ({ page }) => {
    await signIn(page, env.stack.tokens.alpha);
    await page.goto('/#/integrations');
    await page.getByTestId('connection').first().waitFor();
    assert.equal(await page.getByTestId('reconciliation').count(), 0);
  }));

test("the doctor's findings are listed per repository", () =>
  withPage(env, async ({ page }) => {
    const { body } = await env.stack.api('/v1/doctor', { window: '90d' });
    await signIn(page, env.stack.tokens.all);
    await page.goto('/#/integrations');
    await page.getByTestId('doctor').waitFor();
    await waitForLoaded(page);
    const doctor = page.getByTestId('doctor');
    for (const { repository, findings } of body.items) {
      const article = doctor.locator('article', {
        has: page.getByRole('heading', { name: repository, exact: true }),
      });
      const checks = await article
        .locator('[data-check]')
        .evaluateAll((items) => items.map((i) => i.dataset.check));
      assert.deepEqual(
        checks,
        findings.map((f) => f.check),
        repository,
      );
      for (const finding of findings) {
        const text = await article.locator(`[data-check="${finding.check}"]`).innerText();
        assert.ok(text.includes(finding.message) && text.includes(finding.fix), text);
      }
    }
  }));
