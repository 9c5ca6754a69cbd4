// The integrations screen: each code host's connection and how current it is, each incident
// tool's connection (its services, what counts, its sync), the doctor's findings per
// repository, and pull-request feedback the host refused (the file's last test: it changes the
// stack).

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { signIn, waitForLoaded } from './browser.mjs';
import { useStack, withPage } from './setup.mjs';

const env = useStack();

test('the connection shows as Connected, with what the API says of it', () =>
  withPage(env, async ({ page }) => {
    const { status, body } = await env.stack.api('/v1/integrations/bitbucket');
    assert.equal(status, 200);
    const hosts = body.connections.filter((c) => c.incident_tool === null);
    assert.equal(hosts.length, 1);
    const [connection] = hosts;

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

/** The incident tools' connections of GET /v1/integrations, as `token` sees them. */
async function incidentTools(token) {
  const { status, body } = await env.stack.api('/v1/integrations', {}, token);
  assert.equal(status, 200);
  return body.connections.filter((c) => c.incident_tool !== null);
}

test("each incident tool's connection shows its services, what counts and its sync", () =>
  withPage(env, async ({ page }) => {
    const tools = await incidentTools(env.stack.tokens.all);
    assert.equal(tools.length, 1, 'the stack connects the PagerDuty double');
    const [tool] = tools;
    // Checkout API mapped by `services map`, Storefront by [services]; Internal tools unmapped.
    assert.deepEqual(tool.incident_tool, {
      services: 3,
      mapped_services: 2,
      configured_services: 1,
      counts: ['P1', 'P2'],
      sync: 'synced',
      change_events: null, // no service sends deployments to PagerDuty
    });

    await signIn(page, env.stack.tokens.all);
    await page.goto('/#/integrations');
    const section = page.getByTestId('incident-connections');
    const card = section.getByTestId('incident-connection');
    await card.waitFor();
    assert.equal(await card.count(), 1);
    assert.equal(await card.getAttribute('data-sync'), 'synced');
    assert.equal(await card.getByTestId('connection-status').textContent(), 'Connected');
    const text = await card.innerText();
    assert.ok(text.includes(tool.name));
    assert.match(text, /Provider\s+PagerDuty/);
    assert.match(text, /Services\s+3 listed, 2 mapped \(1 by leadline.toml\)/);
    assert.match(text, /Severities that count\s+P1, P2/);
    const syncedAt = `${tool.last_sync_at.slice(0, 16).replace('T', ' ')} UTC`;
    assert.ok(text.includes(`Last sync\n${syncedAt}`) || text.includes(syncedAt), text);
    assert.match(text, /Last webhook\s+No delivery yet/);
    // The code hosts' section does not list it.
    const hosts = await page.getByTestId('connections').innerText();
    assert.ok(!hosts.includes(tool.name), hosts);
  }));

test('a token of one project sees the incident tool by the services mapped onto it', () =>
  withPage(env, async ({ page }) => {
    const tools = await incidentTools(env.stack.tokens.alpha);
    assert.equal(tools.length, 1);
    // Only Checkout API maps onto alpha's repositories.
    assert.equal(tools[0].incident_tool.services, 1);
    assert.equal(tools[0].incident_tool.mapped_services, 1);
    assert.equal(tools[0].last_webhook, null);

    await signIn(page, env.stack.tokens.alpha);
    await page.goto('/#/integrations');
    const card = page.getByTestId('incident-connection');
    await card.waitFor();
    const text = await card.innerText();
    assert.match(text, /Services\s+1 listed, 1 mapped\n/);
    // Deliveries are not tied to projects: not shown, rather than said to be none.
    assert.match(text, /Last webhook\s+Not shown to a token of some projects/);
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

test("a repository whose feedback the host refused shows on its connection's card, with why", () =>
  withPage(env, async ({ page }) => {
    // Feedback on for a repository whose merge commit a new deployment releases: the server
    // posts a comment at once, which the double refuses (its token lacks
    // write:pullrequest:bitbucket), and turns the repository's feedback off.
    const [repository] = env.stack.projects.alpha;
    const { body } = await env.stack.api('/v1/deployments', { window: '30d' });
    const shipped = body.items.find((d) => d.repository === repository && !d.proxy);
    assert.ok(shipped, `a deployment of ${repository}`);
    await env.stack.leadline('feedback', 'enable', '--repos', repository, '--mode', 'comment');
    const dir = await mkdtemp(path.join(tmpdir(), 'leadline-feedback-'));
    const file = path.join(dir, 'deployments.json');
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    await writeFile(
      file,
      JSON.stringify([
        {
          id: 'ci-feedback-1',
          repository,
          environment: 'production',
          commit: shipped.sha,
          status: 'success',
          started_at: now,
          finished_at: now,
        },
      ]),
    );
    process.env.LEADLINE_FEEDBACK_DEBOUNCE = '0'; // due at once
    try {
      await env.stack.leadline('deployments', 'import', file);
    } finally {
      delete process.env.LEADLINE_FEEDBACK_DEBOUNCE;
      await rm(dir, { recursive: true, force: true });
    }

    await signIn(page, env.stack.tokens.all);
    await page.goto('/#/integrations');
    const refused = page.getByTestId('connection').getByTestId('feedback-refused');
    // Shown once the server's post was refused (it polls every second); a reload reads again.
    for (let tries = 0; (await refused.count()) === 0 && tries < 30; ++tries) {
      await page.waitForTimeout(500);
      await page.reload();
      await page.getByTestId('connection').waitFor();
    }
    assert.equal(await refused.count(), 1);
    const text = await refused.innerText();
    assert.ok(text.startsWith(`Pull-request feedback on ${repository} was turned off `), text);
    assert.match(text, /HTTP 403 .*Posting feedback needs the write:pullrequest:bitbucket scope/);
    assert.ok(
      text.endsWith(`turn it on again with leadline feedback enable --repos ${repository}.`),
    );
  }));
