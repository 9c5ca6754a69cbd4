// A failed deployment opens to its reasons and evidence, as the API gives them.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signIn } from './browser.mjs';
import { useStack, withPage } from './setup.mjs';

const env = useStack();

/** A window of the dashboard with failed deployments in it, as a query string and API params. */
async function windowWithFailures() {
  for (const window of ['30d', '90d']) {
    const { body } = await env.stack.api('/v1/deployments', { window, failed: 'true' });
    if (body.items.length > 0) return { query: `?window=${window}`, params: { window } };
  }
  // None lately: a custom window of whole days around the newest failure of all time.
  const { body } = await env.stack.api('/v1/deployments', {
    window: 'all',
    failed: 'true',
    limit: '1',
  });
  assert.ok(body.items.length > 0, 'the stack has no failed deployment at all');
  const day = Date.parse(body.items[0].finished_at.slice(0, 10));
  const since = new Date(day).toISOString().slice(0, 10);
  const until = new Date(day + 86_400_000).toISOString().slice(0, 10);
  return {
    query: `?since=${since}&until=${until}`,
    params: { since: `${since}T00:00:00Z`, until: `${until}T00:00:00Z` },
  };
}

test("every failure of the window is listed, and each opens to the API's reasons", () =>
  withPage(env, async ({ page }) => {
    const { query, params } = await windowWithFailures();
    const body = await env.stack.apiAll('/v1/deployments', { ...params, failed: 'true' });
    await signIn(page, env.stack.tokens.all, query);

    const list = page.getByTestId('failed-deployments').getByRole('button');
    await list.first().waitFor();
    assert.equal(await list.count(), body.items.length);

    for (const [index, failure] of body.items.entries()) {
      await list.nth(index).click();
      const details = page.getByTestId('failure-details');
      await details.waitFor();
      assert.equal(
        await details.locator('h3').textContent(),
        `${failure.repository} ${failure.ref}`,
      );
      const shown = await details
        .locator('[data-reason]')
        .evaluateAll((items) =>
          items.map((item) => ({ reason: item.dataset.reason, text: item.textContent })),
        );
      assert.deepEqual(
        shown.map((item) => item.reason),
        failure.failure_reasons.map((reason) => reason.reason),
      );
      for (const [i, reason] of failure.failure_reasons.entries()) {
        for (const evidence of [reason.incident, reason.branch, reason.commit?.slice(0, 10)]) {
          if (evidence)
            assert.ok(shown[i].text.includes(evidence), `${shown[i].text} names ${evidence}`);
        }
      }
      const recovery = await details.getByTestId('failure-recovery').textContent();
      if (failure.recovery_s === null) assert.equal(recovery, 'Not restored yet.');
      else assert.match(recovery, /^Restored after /);
      for (const by of [failure.restored_by, failure.restored_by_incident]) {
        if (by) assert.ok(recovery.includes(by), `${recovery} names ${by}`);
      }
    }
  }));

test('the incident a failure is tied to is named with how it was linked', () =>
  withPage(env, async ({ page }) => {
    const body = await env.stack.apiAll('/v1/deployments', { window: '90d', failed: 'true' });
    const withIncident = body.items.find((d) =>
      d.failure_reasons.some((r) => r.reason === 'incident'),
    );
    assert.ok(withIncident, 'the stack has a failure tied to an incident');
    const reason = withIncident.failure_reasons.find((r) => r.reason === 'incident');

    await signIn(page, env.stack.tokens.all, '?window=90d');
    await page
      .getByTestId('failed-deployments')
      .getByRole('button', { name: `${withIncident.repository} ${withIncident.ref}` })
      .click();
    const text = await page
      .getByTestId('failure-details')
      .locator('[data-reason="incident"]')
      .textContent();
    assert.ok(text.includes(reason.incident));
    const linkedBy = {
      named: 'names this deployment',
      commit: 'names a commit',
      window: 'began soon after',
    };
    assert.ok(
      text.includes(linkedBy[reason.linked_by]),
      `${text} says how it was linked (${reason.linked_by})`,
    );
  }));

test('clicking a failure on the timeline opens its details', () =>
  withPage(env, async ({ page }) => {
    const body = await env.stack.apiAll('/v1/deployments', { window: '90d' });
    await signIn(page, env.stack.tokens.all, '?window=90d');
    const over = page.locator('[data-testid="deployments"] .u-over');
    await over.waitFor();
    const box = await over.boundingBox();

    // Where uPlot draws each point: x spans the deployments' times, y runs from 0 to 1.15 times
    // the most changes shipped (deployment-timeline.ts).
    const times = body.items.map((d) => Date.parse(d.finished_at));
    const [first, last] = [Math.min(...times), Math.max(...times)];
    const top = Math.max(1, ...body.items.map((d) => d.change_count)) * 1.15;
    const points = body.items.map((d, i) => ({
      deployment: d,
      x: box.x + ((times[i] - first) / (last - first)) * box.width,
      y: box.y + box.height * (1 - d.change_count / top),
    }));
    // The failure farthest from any other point, so that the click can mean only it.
    const isolation = (p) =>
      Math.min(...points.filter((q) => q !== p).map((q) => Math.hypot(q.x - p.x, q.y - p.y)));
    const target = points
      .filter((p) => p.deployment.failed)
      .sort((a, b) => isolation(b) - isolation(a))[0];
    assert.ok(target, 'the window has a failed deployment');

    await page.mouse.click(target.x, target.y);
    const details = page.getByTestId('failure-details');
    await details.waitFor();
    assert.equal(
      await details.locator('h3').textContent(),
      `${target.deployment.repository} ${target.deployment.ref}`,
    );
  }));
