#!/usr/bin/env bash
# The first deployment credits only the commits of its lookback (--lookback 7d), not months of
# history. The cut is on committer time, inclusive: a commit exactly 7 days before counts, one a
# second earlier does not.
#
#   o1 2023-12-01 09:00      (old)
#   o2 2024-02-26 08:59:59   (7 days and 1 second before v1.0: outside)
#   b  2024-02-26 09:00:00   (exactly 7 days before v1.0: inside)
#   r1 2024-03-01 09:00      r2 2024-03-03 09:00
#   v1.0 2024-03-04 09:00 (on r2);  r3 2024-03-05 09:00;  v1.1 2024-03-06 09:00 (on r3)
#
# Window: --until 2024-03-08T00:00:00Z --window 7d = [Mar 01, Mar 08), 1 whole week.
#
# v1.0: lookback starts Feb 26 09:00:00 -> b r1 r2 -> change_count 3 (not 5), marked
#       first_deployment_lookback. leads: b = 7d = 604800, r1 = 3d = 259200, r2 = 1d = 86400;
#       median 259200. o1, o2 are shipped but give no lead time.
# v1.1: rev-list v1.1 ^v1.0 = r3 -> change_count 1, lead 1d = 86400.
#
# Summary lead times (n=4): 86400, 86400, 259200, 604800.
#   median rank 1.5 -> (86400 + 259200) / 2 = 172800;
#   p75 rank 2.25 -> 259200 + 0.25*(604800 - 259200) = 345600;
#   p90 rank 2.7 -> 259200 + 0.7*345600 = 501120; mean 1036800 / 4 = 259200.
#   Level: 172800 < 7 days -> High.
# Frequency: 2 / 7 days = 0.285714286/day; 2 deploys on 2 days -> High.
# Time between: Mar 04 09:00 -> Mar 06 09:00 = 172800.
# No failures: change_fail_rate 0 (Elite), recovery null, rework 0.
set -euo pipefail
source "$(dirname "$0")/../lib.sh" "$1"

commit "o1 prototype" 2023-12-01T09:00:00Z
commit "o2 one second too old" 2024-02-26T08:59:59Z
commit "b exactly at the lookback" 2024-02-26T09:00:00Z
commit "r1 api" 2024-03-01T09:00:00Z
commit "r2 cli" 2024-03-03T09:00:00Z
tag v1.0 2024-03-04T09:00:00Z
commit "r3 docs" 2024-03-05T09:00:00Z
tag v1.1 2024-03-06T09:00:00Z
