// graphql-http's auditServer (the GraphQL over HTTP specification's own conformance audits)
// against a real `leadline serve` on a loopback port, on a new empty store with a read token:
// every MUST passes, or this fails; the SHOULDs and MAYs that do not are printed (docs/graphql.md
// lists them with the reason).
//   node tests/graphql/audit.mjs BUILD/src/cli/leadline [--verbose]
// Exits 77 (skipped) when graphql-http is not installed (npm ci in tests/graphql).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let auditServer;
try {
  ({ auditServer } = await import('graphql-http'));
} catch {
  console.log('SKIPPED: graphql-http is not installed; run `npm ci` in tests/graphql (scripts/test.sh does).');
  process.exit(77);
}

const [leadline, ...flags] = process.argv.slice(2);
if (!leadline) {
  console.error('usage: audit.mjs LEADLINE_PROGRAM [--verbose]');
  process.exit(2);
}
const verbose = flags.includes('--verbose');
const dir = mkdtempSync(join(tmpdir(), 'leadline-graphql-audit-'));
const db = join(dir, 'leadline.db');
let server = null;
const cleanUp = () => {
  server?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
};

try {
  const token = execFileSync(
    leadline,
    ['tokens', 'create', '--name', 'audit', '--scopes', 'read', '--expires', '1d', '--db', db],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  ).trim();
  server = spawn(leadline, ['serve', '--listen', '127.0.0.1:0', '--db', db, '--reconcile-every', 'off'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`leadline serve did not start:\n${output}`)), 15_000);
    const read = (chunk) => {
      output += chunk;
      const match = /Listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    server.stdout.on('data', read);
    server.stderr.on('data', read);
    server.on('exit', (code) => reject(new Error(`leadline serve exited (${code}):\n${output}`)));
  });
  const withToken = (input, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set('Authorization', `Bearer ${token}`);
    return fetch(input, { ...init, headers });
  };
  const results = await auditServer({ url: `${url}/graphql`, fetchFn: withToken });
  const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
  for (const result of results) {
    counts[result.status] += 1;
    if (result.status === 'ok' && !verbose) continue;
    const reason = result.status === 'ok' ? '' : `: ${result.reason}`;
    console.log(`${result.status.padEnd(6)} ${result.id} ${result.name}${reason}`);
  }
  console.log(
    `${results.length} audits: ${counts.ok} passed, ${counts.error} MUST failed, ` +
      `${counts.warn} SHOULD not met, ${counts.notice} MAY not met`,
  );
  cleanUp();
  process.exit(counts.error === 0 ? 0 : 1);
} catch (error) {
  console.error(error);
  cleanUp();
  process.exit(1);
}
