// Filters live in the URL: changing one updates the URL and the numbers, and a URL with
// filters, reloaded, shows the same view.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectedTileValues, signIn, tileValues, waitForTiles } from './browser.mjs';
import { useStack, withPage } from './setup.mjs';

const env = useStack();

async function apiTiles(params) {
  const { status, body } = await env.stack.api('/v1/metrics/dora', params);
  assert.equal(status, 200, JSON.stringify(body));
  return expectedTileValues(body.summary);
}

const query = (page) => Object.fromEntries(new URL(page.url()).searchParams);

test('changing the window changes the URL and the numbers', () =>
  withPage(env, async ({ page }) => {
    await signIn(page, env.stack.tokens.all, '?project=alpha');
    const before = await tileValues(page);
    assert.deepEqual(before, await apiTiles({ project: 'alpha', window: '90d' }));

    await page.getByTestId('filter-window').selectOption('30d');
    await waitForTiles(page);
    assert.deepEqual(query(page), { project: 'alpha', window: '30d' });
    const after = await tileValues(page);
    assert.deepEqual(after, await apiTiles({ project: 'alpha', window: '30d' }));
    assert.notDeepEqual(after, before, 'the 30-day numbers should differ from the 90-day ones');
  }));

test('changing the project changes the URL and the numbers', () =>
  withPage(env, async ({ page }) => {
    await signIn(page, env.stack.tokens.all);
    const projectFilter = page.getByTestId('filter-project');
    await projectFilter.locator('option[value="alpha"]').waitFor({ state: 'attached' });

    await projectFilter.selectOption('alpha');
    await waitForTiles(page);
    assert.deepEqual(query(page), { project: 'alpha' });
    const alpha = await tileValues(page);
    assert.deepEqual(alpha, await apiTiles({ project: 'alpha', window: '90d' }));

    await projectFilter.selectOption('beta');
    await waitForTiles(page);
    assert.deepEqual(query(page), { project: 'beta' });
    const beta = await tileValues(page);
    assert.deepEqual(beta, await apiTiles({ project: 'beta', window: '90d' }));
    assert.notDeepEqual(beta, alpha);
  }));

test("the repository filter lists only the chosen project's repositories", () =>
  withPage(env, async ({ page }) => {
    await signIn(page, env.stack.tokens.all, '?project=beta');
    const repoFilter = page.getByTestId('filter-repo');
    await repoFilter
      .locator(`option[value="${env.stack.projects.beta[0]}"]`)
      .waitFor({ state: 'attached' });
    const listed = await repoFilter
      .locator('option')
      .evaluateAll((options) => options.map((o) => o.value));
    assert.deepEqual(listed, ['', ...env.stack.projects.beta]);
  }));

test('a URL with filters, reloaded, restores them', () =>
  withPage(env, async ({ page }) => {
    await signIn(page, env.stack.tokens.all, '?project=alpha&window=30d&benchmark=2024');
    await page.reload();
    await waitForTiles(page);
    assert.equal(await page.getByTestId('filter-window').inputValue(), '30d');
    assert.equal(await page.getByTestId('filter-benchmark').inputValue(), '2024');
    await page
      .getByTestId('filter-project')
      .locator('option[value="alpha"]')
      .waitFor({ state: 'attached' });
    assert.equal(await page.getByTestId('filter-project').inputValue(), 'alpha');
    assert.deepEqual(
      await tileValues(page),
      await apiTiles({ project: 'alpha', window: '30d', benchmark: '2024' }),
    );
  }));

test('a custom window from the URL is shown and queried', () =>
  withPage(env, async ({ page }) => {
    const since = new Date(Date.now() - 50 * 86_400_000).toISOString().slice(0, 10);
    const until = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
    await signIn(page, env.stack.tokens.all, `?since=${since}&until=${until}`);
    assert.equal(await page.getByTestId('filter-window').inputValue(), 'custom');
    assert.equal(await page.getByTestId('filter-since').inputValue(), since);
    assert.equal(await page.getByTestId('filter-until').inputValue(), until);
    assert.deepEqual(
      await tileValues(page),
      await apiTiles({ since: `${since}T00:00:00Z`, until: `${until}T00:00:00Z` }),
    );
  }));

test('a window without deployments shows empty states, not broken charts', () =>
  withPage(env, async ({ page }) => {
    const { body } = await env.stack.api('/v1/deployments', { project: 'beta', window: '30d' });
    assert.deepEqual(body.items, [], 'beta has no deployment in the last 30 days');
    await signIn(page, env.stack.tokens.all, '?project=beta&window=30d');
    await page.getByText('No deployments in this window.').waitFor();
    assert.equal(
      await page.getByTestId('tile-lead-time').getByTestId('tile-value').textContent(),
      '—',
    );
    assert.equal(await page.locator('[data-testid="deployments"] canvas').count(), 0);
  }));
