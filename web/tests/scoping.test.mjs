// A token for project alpha never shows anything of project beta: not in the page, not in any
// answer the page receives, not among the filters' choices.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signIn, waitForLoaded } from './browser.mjs';
import { useStack, withPage } from './setup.mjs';

const env = useStack();

test('a token for alpha sees nothing of beta', () =>
  withPage(env, async ({ page, apiBodies }) => {
    const beta = env.stack.projects.beta;
    await signIn(page, env.stack.tokens.alpha, '?window=90d');
    await waitForLoaded(page);
    const projectChoices = page.getByTestId('filter-project').locator('option');
    await page
      .getByTestId('filter-project')
      .locator('option[value="alpha"]')
      .waitFor({ state: 'attached' });
    assert.deepEqual(await projectChoices.evaluateAll((options) => options.map((o) => o.value)), [
      '',
      'alpha',
    ]);
    const repoChoices = await page
      .getByTestId('filter-repo')
      .locator('option')
      .evaluateAll((options) => options.map((o) => o.value));
    assert.deepEqual(repoChoices, ['', ...env.stack.projects.alpha]);
    const dashboardText = await page.locator('body').innerText();

    await page.getByRole('link', { name: 'Integrations' }).click();
    await page.getByTestId('connections').waitFor();
    await waitForLoaded(page);
    const integrationsText = await page.locator('body').innerText();

    for (const repository of beta) {
      assert.ok(!dashboardText.includes(repository), `the dashboard shows ${repository}`);
      assert.ok(
        !integrationsText.includes(repository),
        `the integrations screen shows ${repository}`,
      );
      const leaking = (await apiBodies()).filter((body) => body.includes(repository));
      assert.deepEqual(leaking, [], `answers the page received name ${repository}`);
    }
    assert.ok(dashboardText.includes(env.stack.projects.alpha[0]), 'the page shows alpha itself');
  }));

test('the API refuses project beta to a token for alpha, and so does the page', () =>
  withPage(
    env,
    async ({ page }) => {
      const { status } = await env.stack.api(
        '/v1/metrics/dora',
        { project: 'beta' },
        env.stack.tokens.alpha,
      );
      assert.equal(status, 404);
      await signIn(page, env.stack.tokens.alpha);
      await page.goto('/?project=beta');
      const error = page.getByTestId('overview').getByRole('alert');
      await error.waitFor();
      assert.match(await error.textContent(), /^Could not load the metrics: /);
      await waitForLoaded(page);
      const text = await page.locator('body').innerText();
      for (const repository of env.stack.projects.beta) assert.ok(!text.includes(repository));
    },
    // The refused requests themselves: Chromium logs every 404 answer.
    {
      allowed: [
        /status of 404 .*\/v1\/(metrics\/dora|pull-requests|deployments|incidents)\?project=beta/,
      ],
    },
  ));
