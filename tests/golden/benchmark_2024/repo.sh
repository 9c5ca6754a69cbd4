#!/usr/bin/env bash
# --benchmark 2024: levels by nearest cluster per metric (benchmark_levels.json), which differ from
# the 2023 thresholds for the same numbers (change fail rate and recovery below).
#
#   c1 Mar 01 09:00                     v1.0 Mar 03 09:00
#   c2 "Add search" Mar 03 12:00        v1.1 Mar 05 12:00
#   c3 Mar 05 15:00                     v1.2 Mar 07 09:00
#   R = git revert c2, Mar 07 10:00     v1.3 Mar 07 11:00
#   c4 Mar 08 09:00                     v1.4 Mar 10 09:00
#
# Window: --until 2024-03-15T00:00:00Z --window 14d = [Mar 01, Mar 15), 2 whole weeks.
#
# v1.0: first deployment: c1, change_count 1, lead 2d = 172800.
# v1.1: c2, change_count 1, lead 2d = 172800. Failed: `reverted` by R; restored by v1.3:
#       recovery Mar 07 11:00 - Mar 05 12:00 = 47h = 169200.
# v1.2: c3, change_count 1, lead Mar 05 15:00 -> Mar 07 09:00 = 42h = 151200.
# v1.3: R, change_count 1, lead 1h = 3600; rework ("revert").
# v1.4: c4, change_count 1, lead 2d = 172800.
#
# Summary lead times (n=5): 3600, 151200, 172800, 172800, 172800: median 172800, p75 172800,
#   p90 172800, mean 673200 / 5 = 134640.
# Change fail rate 1/5 = 0.2; recovery median 169200; rework rate 1/5 = 0.2;
# 5 deployments / 14 days = 0.357142857/day. Weeks back from until: [Mar 08, Mar 15) 1 deploy,
#   [Mar 01, Mar 08) 4 deploys on 3 days -> medians 2.5 deploys and 2 deploy days a week.
# Time between: 183600, 162000, 7200, 252000 -> sorted median (162000 + 183600) / 2 = 172800.
#
# Levels, 2024 (nearest cluster; ranges compared on log1p scale, ties to the first listed):
#   deployment frequency, deploys/day 0.357 is inside High's [0.142857, 1]  -> High
#   lead time 172800 inside High's [86400, 604800]                         -> High
#   change fail rate 0.2: distance 0 to High's 0.20 (Medium 0.10 is 0.1 away) -> High
#   recovery 169200 above High's and Medium's [3600, 86400]: gap
#     ln(169201/86401) = 0.67; Low's [604800, ...] gap ln(604801/169201) = 1.27
#     -> High (listed before Medium, same range)                           -> High
# For contrast, 2023 thresholds would give change fail rate Low (> 15%) and recovery Medium.
set -euo pipefail
source "$(dirname "$0")/../lib.sh" "$1"

commit "c1 initial" 2024-03-01T09:00:00Z
tag v1.0 2024-03-03T09:00:00Z
commit "Add search" 2024-03-03T12:00:00Z
tag v1.1 2024-03-05T12:00:00Z
commit "c3 search filters" 2024-03-05T15:00:00Z
tag v1.2 2024-03-07T09:00:00Z
GIT_AUTHOR_DATE=2024-03-07T10:00:00Z GIT_COMMITTER_DATE=2024-03-07T10:00:00Z \
  git revert --no-edit HEAD~1 >/dev/null
tag v1.3 2024-03-07T11:00:00Z
commit "c4 search analytics" 2024-03-08T09:00:00Z
tag v1.4 2024-03-10T09:00:00Z
