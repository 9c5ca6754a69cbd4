#!/usr/bin/env bash
# Deployments from a deploy log (deploys.log) instead of tags: a failed deployment followed by a
# successful re-run of the same commit. The log names commits by sha, which is fixed by the
# dates, names and contents below (c1 dd416a8a986e, c2 0384d5a88b0b, c3 8221083eedc9): if you
# change this script, update deploys.log.
#
#   c1 Mar 04 09:00   c2 Mar 05 09:00   c3 Mar 06 09:00   (linear, no tags)
#   log: D1 c1 Mar 04 12:00 success; D2 c2 Mar 05 12:00 failure;
#        D3 c2 Mar 05 14:30+02:00 (= 12:30Z) success;
#        D4 c3 Mar 06 12:00 (no status: success)
#
# Window: --until 2024-03-11T00:00:00Z --window 7d = [Mar 04, Mar 11), 1 whole week.
#
# D1: first deployment: c1, change_count 1, lookback applied, lead 3h = 10800.
# D2: rev-list c2 ^c1 = c2 -> change_count 1; failed deployments credit nothing (sample 0, lead
#     median null). Failed: `deployment_failed`; restored by the next successful deployment, D3,
#     named by its sha's first 12 digits "0384d5a88b0b" (log deployments have no ref):
#     recovery 12:30 - 12:00 = 1800.
# D3: PREV is D1 (D2 failed): rev-list c2 ^c1 = c2 -> change_count 1; c2 credited here:
#     lead Mar 05 09:00 -> 12:30 = 12600.
# D4: rev-list c3 ^c2 = c3 -> change_count 1, lead 3h = 10800.
#
# Summary: deployments (successful) 3, attempts 4, failed 1.
#   Lead times (n=3): 10800, 10800, 12600: median 10800; p75 rank 1.5 -> 11700;
#   p90 rank 1.8 -> 10800 + 0.8*1800 = 12240; mean 34200 / 3 = 11400. Level: Elite.
#   Change fail rate 1 / 4 = 0.25 -> Low. Recovery 1800 < 1 hour -> Elite. Rework 0.
# Frequency (successful only): 3 / 7 days = 0.428571429/day; 3 deploys on 3 days -> High.
# Time between successful deployments: Mar 04 12:00 -> Mar 05 12:30 = 88200;
#   -> Mar 06 12:00 = 84600; median 86400.
set -euo pipefail
source "$(dirname "$0")/../lib.sh" "$1"

commit "c1 initial" 2024-03-04T09:00:00Z
commit "c2 payment provider" 2024-03-05T09:00:00Z
commit "c3 receipts" 2024-03-06T09:00:00Z
