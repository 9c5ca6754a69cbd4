// Recent activity for the first project's repositories: deployments CI reports and incidents,
// as `leadline deployments import` and `leadline incidents import` take them.
//
// The double's own history is crowded into its first days, 120 days ago, with the same shape in
// every repository. These releases of its later merges, spread over the last 90 days, give the
// windows different numbers, the projects different numbers, and failures with each kind of
// evidence the data can carry: a failed deployment, an incident that names it, an incident tied
// by time, and a failure not restored yet; and an incident no rule ties (its repository's last
// deployment before it is ten days older, beyond the incident window).

const DAY = 86_400_000;
const MINUTE = 60_000;

/** The newest merge commits of a repository, oldest first, from the double's Bitbucket API. */
async function mergeCommits({ apiUrl, email, token, repository }) {
  const auth = `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`;
  const merged = [];
  let next = `${apiUrl}/repositories/${repository}/pullrequests?state=MERGED&pagelen=50`;
  while (next) {
    const response = await fetch(next, { headers: { Authorization: auth } });
    if (!response.ok) throw new Error(`GET ${next}: ${response.status}`);
    const page = await response.json();
    merged.push(...page.values);
    next = page.next;
  }
  return merged.sort((a, b) => a.id - b.id).map((pr) => pr.merge_commit.hash);
}

/** [days ago, status] per release, oldest first; each ships the next of the newest merges. */
const SCHEDULES = [
  [
    [75, 'success'],
    [45, 'failed'],
    [45 - 50 / 1440, 'success'],
    [20, 'success'],
    [9, 'success'],
    [4, 'failed'],
    [3, 'success'],
    [1, 'success'],
  ],
  [
    [60, 'success'],
    [25, 'success'],
    [6, 'success'],
    [2, 'failed'],
  ],
];

export async function recentActivity({ apiUrl, email, token, repositories, now = Date.now() }) {
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const deployments = [];
  for (const [index, repository] of repositories.entries()) {
    const schedule = SCHEDULES[index];
    const commits = (await mergeCommits({ apiUrl, email, token, repository })).slice(
      -schedule.length,
    );
    // A failure and the re-run that restores it ship the same commit.
    let shipped = -1;
    schedule.forEach(([daysAgo, status], run) => {
      const rerun = run > 0 && schedule[run - 1][1] === 'failed';
      if (!rerun) shipped += 1;
      const finished = now - daysAgo * DAY;
      deployments.push({
        id: `ci-${repository.replace('/', '-')}-${run + 1}`,
        repository,
        environment: 'production',
        commit: commits[shipped],
        status,
        started_at: iso(finished - 8 * MINUTE),
        finished_at: iso(finished),
        pipeline_id: 'deploy',
        run_id: String(run + 1),
      });
    });
  }
  const [first] = repositories;
  const incidents = [
    {
      id: 'INC-101',
      repository: first,
      severity: 'P1',
      title: 'Checkout errors after the release',
      started_at: iso(now - 45 * DAY + 10 * MINUTE),
      resolved_at: iso(now - 45 * DAY + 70 * MINUTE),
      deployment: `ci-${first.replace('/', '-')}-2`,
    },
    {
      id: 'INC-102',
      repository: first,
      severity: 'P2',
      title: 'Slow search',
      started_at: iso(now - 4 * DAY + 20 * MINUTE),
      resolved_at: iso(now - 4 * DAY + 140 * MINUTE),
    },
  ];
  if (repositories.length > 1) {
    incidents.push({
      id: 'INC-103',
      repository: repositories[1],
      severity: 'P1',
      title: 'Login page times out',
      started_at: iso(now - 15 * DAY),
      resolved_at: iso(now - 15 * DAY + 30 * MINUTE),
    });
  }
  return { deployments, incidents };
}
