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
    // The test stack's connection is Bitbucket Cloud's: shown by its name for people.
    assert.equal(connection.provider, 'bitbucket-cloud');
    assert.match(text, /Provider\s+Bitbucket Cloud/);
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

test("the doctor's findings are listed once each, naming their repositories", () =>
  withPage(env, async ({ page }) => {
    const { body } = await env.stack.api('/v1/doctor', { window: '90d' });
    await signIn(page, env.stack.tokens.all);
    await page.goto('/#/integrations');
    await page.getByTestId('doctor').waitFor();
    await waitForLoaded(page);
    const doctor = page.getByTestId('doctor');
    // What the API says, grouped by finding: the repositories of each.
    const expected = new Map();
    for (const { repository, findings } of body.items) {
      for (const f of findings) {
        const key = JSON.stringify([f.check, f.severity, f.message, f.fix]);
        const entry = expected.get(key) ?? { finding: f, repositories: [] };
        entry.repositories.push(repository);
        expected.set(key, entry);
      }
    }
    assert.ok(expected.size > 0, 'the test stack has findings');
    const cards = doctor.locator('li.finding');
    assert.equal(await cards.count(), expected.size, 'one card per distinct finding');
    let shared = 0;
    for (const { finding, repositories } of expected.values()) {
      const card = cards.filter({ hasText: finding.message }).filter({ hasText: finding.fix });
      assert.equal(await card.count(), 1, finding.message);
      assert.equal(await card.getAttribute('data-check'), finding.check);
      const where = await card.getByTestId('finding-repositories').innerText();
      assert.equal(where.slice(where.indexOf(': ') + 2), repositories.join(', '));
      if (repositories.length > 1) ++shared;
    }
    assert.ok(shared > 0, 'some finding is shared by several repositories');
  }));
