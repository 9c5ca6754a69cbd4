#!/usr/bin/env bash
# A `git revert` of a commit shipped two deployments earlier: the deployment that shipped it
# failed (reason `reverted`), the deployment shipping the revert restored service and is rework.
#
#   c1 Mar 04 09:00                       v1.0 Mar 04 12:00
#   bad "Add response cache" Mar 05 06:00  v1.1 Mar 05 12:00
#   c3 Mar 06 10:00                       v1.2 Mar 06 12:00
#   R = git revert bad, Mar 07 11:00       v1.3 Mar 07 12:00
#
# Window: --until 2024-03-11T00:00:00Z --window 7d = [Mar 04, Mar 11), 1 whole week.
#
# v1.0: first deployment: c1, change_count 1, lead 3h = 10800.
# v1.1: bad, change_count 1, lead 6h = 21600. Failed: `reverted` (R reverts bad, which v1.1
#       first shipped). Restored by v1.3, the first deployment shipping R:
#       recovery = Mar 07 12:00 - Mar 05 12:00 = 172800.
# v1.2: c3, change_count 1, lead 2h = 7200. Not failed (it shipped bad too, but not first).
# v1.3: R, change_count 1, lead 1h = 3600. Rework (reason "revert"); not failed.
#
# Summary lead times (n=4): 3600, 7200, 10800, 21600.
#   median rank 1.5 -> 9000; p75 rank 2.25 -> 10800 + 0.25*10800 = 13500;
#   p90 rank 2.7 -> 10800 + 0.7*10800 = 18360; mean 43200 / 4 = 10800. Level: Elite.
# Change fail rate: 1 failed / 4 deployments = 0.25 -> above 15% -> Low.
# Recovery: one sample, 172800 -> median 172800 -> not below 1 day, below 7 days -> Medium.
# Rework rate: 1 / 4 = 0.25.
# Frequency: 4 / 7 days = 0.571428571/day; 4 deploys on 4 days in the week -> High.
# Time between: three gaps of 86400 -> median 86400.
set -euo pipefail
source "$(dirname "$0")/../lib.sh" "$1"

commit "c1 initial" 2024-03-04T09:00:00Z
tag v1.0 2024-03-04T12:00:00Z
commit "Add response cache" 2024-03-05T06:00:00Z
tag v1.1 2024-03-05T12:00:00Z
commit "c3 add metrics" 2024-03-06T10:00:00Z
tag v1.2 2024-03-06T12:00:00Z
GIT_AUTHOR_DATE=2024-03-07T11:00:00Z GIT_COMMITTER_DATE=2024-03-07T11:00:00Z \
  git revert --no-edit HEAD~1 >/dev/null
tag v1.3 2024-03-07T12:00:00Z
