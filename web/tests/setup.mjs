// What every test file shares: one stack and one browser for the file, and a fresh page per
// test that must log no error or warning.

import { after, before } from 'node:test';
import { launchBrowser, openPage } from './browser.mjs';
import { startStack } from './harness.mjs';

/**
 * Starts the stack and the browser before the file's tests; `env` is filled in then. `options`
 * go to startStack ({ oidc: true }: with an identity provider).
 */
export function useStack(options = {}) {
  const env = { stack: null, browser: null };
  before(async () => {
    env.stack = await startStack(options);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.stack?.stop();
  });
  return env;
}

/**
 * Runs `body` with a fresh page, then checks the page stayed quiet. `allowed` lists console
 * messages the test provokes on purpose (as regular expressions).
 */
export async function withPage(env, body, { viewport, allowed = [] } = {}) {
  const view = await openPage(env.browser, env.stack, { viewport });
  try {
    await body(view);
    const unexpected = view.problems.filter(
      (problem) => !allowed.some((pattern) => pattern.test(problem)),
    );
    view.problems.splice(0, view.problems.length, ...unexpected);
    view.assertQuiet();
  } finally {
    await view.close();
  }
}
