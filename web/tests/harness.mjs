// A real Leadline stack for the browser tests, in a temporary folder: the Bitbucket double, a
// store synced from it, two projects over disjoint repositories, the PagerDuty double connected
// (its Checkout API service mapped onto the first project by `services map`, Storefront onto the
// second by [services] of leadline.toml; its incidents all older than the sync's 30 days, so
// that they count nowhere), tokens, and `leadline serve`
// serving the built dashboard (web/dist); with `oidc`, also a real OpenID Provider
// (identity-provider.mjs) that people sign in with, its groups mapped to the two projects.
//
// The binaries come from $LEADLINE_BIN_DIR (default ../build/test), either as a build tree
// (src/cli/leadline, tests/leadline-bitbucket-double, tests/leadline-pagerduty-double) or side by
// side in one folder.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startIdentityProvider } from './identity-provider.mjs';
import { startProcess, stopProcess } from './processes.mjs';
import { recentActivity } from './recent-activity.mjs';

const run = promisify(execFile);
const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST_DIR = path.join(WEB_DIR, 'dist');

const HISTORY_DAYS = 120;
const DOUBLE_ARGS = words(
  `--port 0 --repositories 4 --pull-requests 60 --pipelines 6 --deployments 12
   --history-days ${HISTORY_DAYS}`,
);
const WORKSPACE = 'acme';
const EMAIL = 'dev@example.com';
/** A team of leadline.toml, so that the team filter has a choice. */
const TEAM = 'platform';
const REQUEST_TIMEOUT_MS = 15_000;

/** The provider's accounts (their login names) and groups; roles map two of the groups. */
export const PEOPLE = {
  alice: { groups: ['payments-team', 'newsletter'] },
  bob: { groups: ['platform-team'] },
  carol: { groups: ['contractors'] },
};

/** A loopback port nothing listens on now (for a server whose URL must be known before it starts). */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function words(text) {
  return text.trim().split(/\s+/);
}

function findBinaries() {
  const dir = path.resolve(WEB_DIR, process.env.LEADLINE_BIN_DIR ?? '../build/test');
  const first = (...candidates) =>
    candidates.map((c) => path.join(dir, c)).find((c) => existsSync(c));
  const leadline = first('src/cli/leadline', 'leadline');
  const double = first('tests/leadline-bitbucket-double', 'leadline-bitbucket-double');
  const pagerduty = first('tests/leadline-pagerduty-double', 'leadline-pagerduty-double');
  if (!leadline || !double || !pagerduty) {
    throw new Error(
      `leadline, leadline-bitbucket-double and leadline-pagerduty-double not found in ${dir} ` +
        '(nor in its src/cli/ and tests/): build them, or point LEADLINE_BIN_DIR at them',
    );
  }
  return { leadline, double, pagerduty };
}

/**
 * @returns {Promise<{
 *   url: string,
 *   tokens: { all: string, alpha: string },
 *   projects: { alpha: string[], beta: string[] },
 *   leadline: (...args: string[]) => Promise<string>,
 *   api: (path: string, params?: object, token?: string) => Promise<{status: number, body: any}>,
 *   apiAll: (path: string, params?: object, token?: string) => Promise<{items: any[]}>,
 *   stop: () => Promise<void>,
 * }>}
 */
export async function startStack({ oidc = false } = {}) {
  if (!existsSync(path.join(DIST_DIR, 'index.html'))) {
    throw new Error(`${DIST_DIR}/index.html is missing: run \`npm run build\` in web/ first`);
  }
  const bin = findBinaries();
  const dir = await mkdtemp(path.join(tmpdir(), 'leadline-web-'));
  const db = path.join(dir, 'leadline.db');
  const processes = [];
  let provider = null;
  const stop = async () => {
    await Promise.all(processes.map(stopProcess));
    await provider?.stop();
    await rm(dir, { recursive: true, force: true });
  };
  const leadline = async (...args) => {
    try {
      return (await run(bin.leadline, [...args, '--db', db], { cwd: dir })).stdout;
    } catch (error) {
      throw new Error(`leadline ${args.join(' ')} failed:\n${error.stdout}${error.stderr}`);
    }
  };
  const importJson = async (kind, rows) => {
    const file = path.join(dir, `${kind}.json`);
    await writeFile(file, JSON.stringify(rows));
    await leadline(kind, 'import', file);
  };

  try {
    const double = startProcess(bin.double, DOUBLE_ARGS, /--api-url (\S+)[\s\S]*API token: (\S+)/);
    processes.push(double.child);
    const [, apiUrl, bitbucketToken] = await double.ready;
    const tokenFile = path.join(dir, 'bitbucket-token');
    await writeFile(tokenFile, `${bitbucketToken}\n`, { mode: 0o600 });

    await leadline(
      ...words(`connect bitbucket-cloud --workspace ${WORKSPACE} --email ${EMAIL}`),
      ...['--api-url', apiUrl, '--token-file', tokenFile],
    );
    await leadline('repos', 'list');
    await leadline('repos', 'select', `${WORKSPACE}/*`);
    // The double puts its pull requests at the start of its history, so the first sync must
    // reach back that far (its default is 90 days).
    await leadline('sync', '--since', `${HISTORY_DAYS + 30}d`);
    const listed = await leadline('repos', 'list', '--offline');
    const repositories = [...listed.matchAll(/^\[x\]\s+(\S+)/gm)].map((m) => m[1]).sort();
    if (repositories.length !== 4) throw new Error(`expected 4 synced repositories:\n${listed}`);
    const projects = { alpha: repositories.slice(0, 2), beta: repositories.slice(2) };

    const pagerduty = startProcess(
      bin.pagerduty,
      ['--port', '0'],
      /--url (\S+)[\s\S]*user key: (\S+)/,
    );
    processes.push(pagerduty.child);
    const [, pagerdutyUrl, pagerdutyKey] = await pagerduty.ready;
    const pagerdutyKeyFile = path.join(dir, 'pagerduty-key');
    await writeFile(pagerdutyKeyFile, `${pagerdutyKey}\n`, { mode: 0o600 });
    await leadline('connect', 'pagerduty', '--url', pagerdutyUrl, '--token-file', pagerdutyKeyFile);
    await leadline('services', 'map', 'PSVCAPI', '--repos', projects.alpha[0]);
    await leadline('incidents', 'sync', '--since', '30d');

    let settings = `[teams.${TEAM}]\nmembers = ["Dev Eloper"]\n`;
    settings += `[services]\nstorefront = "${projects.beta[0]}"\n`;
    let listen = '127.0.0.1:0';
    if (oidc) {
      provider = await startIdentityProvider(PEOPLE);
      listen = `127.0.0.1:${await freePort()}`;
      const redirectUri = `http://${listen}/auth/oidc/callback`;
      const clientSecret = 'browser-test-client-secret';
      const secretFile = path.join(dir, 'oidc-client-secret');
      await writeFile(secretFile, `${clientSecret}\n`, { mode: 0o600 });
      provider.register({ clientId: 'leadline', clientSecret, redirectUri });
      settings += `
[oidc]
issuer = "${provider.issuer}"
client_id = "leadline"
client_secret_file = "${secretFile}"
redirect_url = "${redirectUri}"
scopes = ["openid", "profile", "email", "groups"]
display_name = "Acme SSO"
contact = "#leadline-help"

[[roles]]
value = "payments-team"
projects = ["alpha"]

[[roles]]
value = "platform-team"
projects = ["beta"]
`;
    }
    await writeFile(path.join(dir, 'leadline.toml'), settings);
    const activity = await recentActivity({
      apiUrl,
      email: EMAIL,
      token: bitbucketToken,
      repositories: projects.alpha,
    });
    await importJson('deployments', activity.deployments);
    await importJson('incidents', activity.incidents);

    await leadline('projects', 'create', 'alpha', '--repos', ...projects.alpha);
    await leadline('projects', 'create', 'beta', '--repos', ...projects.beta);
    const createToken = async (name, ...projectScope) => {
      const out = await leadline(
        ...words(`tokens create --name ${name} --scopes read --expires 1d`),
        ...projectScope,
      );
      const secret = /llt_[A-Za-z0-9_-]+/.exec(out);
      if (!secret) throw new Error(`no token in the output of tokens create:\n${out}`);
      return secret[0];
    };
    const tokens = {
      all: await createToken('dashboard-all'),
      alpha: await createToken('dashboard-alpha', '--projects', 'alpha'),
    };

    const serve = startProcess(
      bin.leadline,
      [
        ...words(`serve --listen ${listen} --reconcile-every off`),
        ...['--db', db, '--web-root', DIST_DIR],
      ],
      /Listening on (http:\/\/\S+)/,
    );
    processes.push(serve.child);
    const [, url] = await serve.ready;
    const page = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    if (!page.ok || !(page.headers.get('content-type') ?? '').includes('text/html')) {
      throw new Error(
        `leadline serve does not serve the dashboard at /: ${page.status}\n${serve.output()}`,
      );
    }

    const api = async (apiPath, params = {}, token = tokens.all) => {
      const target = new URL(apiPath, url);
      for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
      const response = await fetch(target, {
        headers: { Authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      return { status: response.status, body: await response.json() };
    };
    // Every item of a list, page after page (a page holds at most 100).
    const apiAll = async (apiPath, params = {}, token = tokens.all) => {
      const items = [];
      let cursor;
      do {
        const page = { ...params, limit: '100', ...(cursor ? { cursor } : {}) };
        const { status, body } = await api(apiPath, page, token);
        if (status !== 200) throw new Error(`${apiPath}: ${status} ${JSON.stringify(body)}`);
        items.push(...body.items);
        cursor = body.next;
      } while (cursor);
      return { items };
    };
    return { url, tokens, projects, leadline, api, apiAll, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
