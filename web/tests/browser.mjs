// Debian's Chromium driven by playwright-core, and a page that records what the tests check on
// every screen: console errors and warnings, uncaught exceptions, and the API requests it made
// and answers it got.

import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Without the background-networking flags Chromium keeps trying hosts this machine cannot
    // reach; --no-sandbox because the tests may run as root.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A page in its own browser context (so its own sessionStorage). `problems` collects console
 * errors and warnings and page errors.
 */
export async function openPage(browser, stack, { viewport = { width: 1280, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport, baseURL: stack.url });
  const page = await context.newPage();
  const problems = [];
  const apiBodies = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      const where = message.location().url;
      problems.push(`console ${message.type()}: ${message.text()}${where ? ` (${where})` : ''}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  const requests = [];
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (!pathname.startsWith('/v1/') && pathname !== '/graphql') return;
    let operation = null;
    if (pathname === '/graphql') operation = request.postDataJSON()?.operationName ?? null;
    requests.push({ method: request.method(), path: pathname, operation });
  });
  page.on('response', (response) => {
    const { pathname } = new URL(response.url());
    if (!pathname.startsWith('/v1/') && pathname !== '/graphql') return;
    apiBodies.push(response.text().catch(() => ''));
  });
  return {
    page,
    problems,
    /** The text of every /v1/ and /graphql answer the page has received. */
    apiBodies: () => Promise.all(apiBodies),
    /**
     * The API requests the page has made so far, in order: `{method, path, operation}`, where
     * `operation` is a GraphQL request's operationName. `clear` forgets them.
     */
    requests: { list: () => [...requests], clear: () => requests.splice(0, requests.length) },
    close: () => context.close(),
    /** Fails the test if the page logged an error or a warning. */
    assertQuiet() {
      assert.deepEqual(problems, [], 'the page logged errors or warnings');
    },
  };
}

/** Signs in through the form and waits for the overview's numbers. */
export async function signIn(page, token, query = '') {
  await page.goto(`/${query}`);
  await page.getByTestId('token-input').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await waitForTiles(page);
}

/** Waits until the overview shows the answer for the current filters. */
export async function waitForTiles(page) {
  await page
    .locator('[data-testid="overview"][aria-busy="false"] [data-testid="tile-lead-time"]')
    .waitFor();
}

/** Waits until no part of the screen is loading. */
export async function waitForLoaded(page) {
  await page.waitForFunction(() => document.querySelectorAll('[aria-busy="true"]').length === 0);
}

/** Each tile's data-value, by test id (null where the API has no number). */
export function tileValues(page) {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('[data-testid="overview"] article[data-testid^="tile-"]')].map(
        (tile) => [tile.getAttribute('data-testid'), tile.getAttribute('data-value')],
      ),
    ),
  );
}

/** What tileValues must read for a /v1/metrics/dora answer's summary. */
export function expectedTileValues(summary) {
  const text = (value) => (value === null ? null : String(value));
  return {
    'tile-deployment-frequency': text(summary.deployment_frequency_per_day),
    'tile-lead-time': text(summary.lead_time_median_s),
    'tile-change-fail-rate': text(summary.change_fail_rate),
    'tile-recovery': text(summary.recovery_median_s),
    'tile-rework-rate': text(summary.rework_rate),
  };
}
