// The overview's tiles show exactly what the API answers for the same filters.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectedTileValues, signIn, tileValues } from './browser.mjs';
import { useStack, withPage } from './setup.mjs';

const env = useStack();

for (const [query, params] of [
  ['', { window: '90d' }],
  ['?project=alpha&window=30d', { project: 'alpha', window: '30d' }],
  ['?project=alpha&benchmark=2024', { project: 'alpha', window: '90d', benchmark: '2024' }],
]) {
  test(`tiles match /v1/metrics/dora for "${query || 'the defaults'}"`, () =>
    withPage(env, async ({ page }) => {
      await signIn(page, env.stack.tokens.all, query);
      const { status, body } = await env.stack.api('/v1/metrics/dora', params);
      assert.equal(status, 200);
      const { summary } = body;
      assert.ok(summary.deployments > 0, 'the window should have deployments to compare');
      assert.deepEqual(await tileValues(page), expectedTileValues(summary));

      const sample = (tile) => page.getByTestId(tile).getByTestId('tile-sample').textContent();
      assert.equal(await sample('tile-deployment-frequency'), `${summary.deployments} deployments`);
      assert.equal(await sample('tile-lead-time'), `${summary.lead_time_sample} changes`);
      assert.equal(
        await sample('tile-change-fail-rate'),
        `${summary.failed_deployments} of ${summary.deployment_attempts} deployments`,
      );

      for (const [tile, level] of [
        ['tile-deployment-frequency', summary.levels.deployment_frequency],
        ['tile-lead-time', summary.levels.lead_time],
        ['tile-change-fail-rate', summary.levels.change_fail_rate],
        ['tile-recovery', summary.levels.recovery],
        ['tile-rework-rate', null],
      ]) {
        const badge = page.getByTestId(tile).locator('.level');
        assert.deepEqual(await badge.allTextContents(), level ? [level] : [], `${tile}'s level`);
      }
    }));
}
