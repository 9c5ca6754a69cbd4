// The dashboard's first meaningful paint against a running server: how long after navigation the
// overview's tiles show real numbers (the page's `leadline:overview-ready` mark), signed in, for
// each window. Used with `leadline demo` for docs/benchmarks.md:
//
//   node bench/first-paint.mjs http://127.0.0.1:8080 llt_...

import { launchBrowser, openPage, signIn } from '../tests/browser.mjs';

const [url, token] = process.argv.slice(2);
if (!url || !token) {
  console.error('usage: node bench/first-paint.mjs URL TOKEN');
  process.exit(2);
}
const RUNS = 5;

const browser = await launchBrowser();
try {
  const { page, close } = await openPage(browser, { url });
  await signIn(page, token);
  for (const query of ['?window=90d', '?window=365d', '?project=payments&window=30d']) {
    const times = [];
    for (let run = 0; run < RUNS; run += 1) {
      await page.goto(`/${query}`);
      const mark = await page.waitForFunction(
        () => performance.getEntriesByName('leadline:overview-ready')[0]?.startTime,
      );
      times.push(await mark.jsonValue());
    }
    times.sort((a, b) => a - b);
    console.log(
      `${query.padEnd(30)} median ${Math.round(times[RUNS >> 1])} ms, ` +
        `max ${Math.round(times[RUNS - 1])} ms (${RUNS} loads)`,
    );
  }
  await close();
} finally {
  await browser.close();
}
