#!/usr/bin/env bash
# Tags whose dates are out of topological order: v1.1 is tagged later than v1.0 but on an older
# commit (a rollback). Deployments are ordered by time, not by the graph.
#
#   c1 Mar 04 09:00   c2 Mar 04 15:00   c3 Mar 06 09:00   (linear)
#   v1.0 Mar 05 09:00 on c2;  v1.1 Mar 06 12:00 on c1 (older commit);  v1.2 Mar 07 09:00 on c3
#
# Window: --until 2024-03-11T00:00:00Z --window 7d = [Mar 04, Mar 11), 1 whole week.
#
# v1.0: first deployment: c1, c2 in the lookback -> change_count 2;
#       leads c1 = 1d = 86400, c2 = 18h = 64800; median 75600.
# v1.1: rev-list c1 ^c2 is empty -> change_count 0, nothing credited (lead median null).
# v1.2: rev-list c3 ^c1 = c2 c3 -> change_count 2 (the previous successful deployment is v1.1);
#       but c2 was first shipped by v1.0 and is credited there only, so the lead-time sample is
#       c3 alone: Mar 06 09:00 -> Mar 07 09:00 = 86400.
#
# Summary lead times (n=3): 64800, 86400, 86400.
#   median rank 1 -> 86400; p75 rank 1.5 -> 86400; p90 rank 1.8 -> 86400;
#   mean 237600 / 3 = 79200. Level: not below 1 day -> High.
# Frequency: 3 / 7 days = 0.428571429/day; 3 deploys on 3 days -> High.
# Time between: Mar 05 09:00 -> Mar 06 12:00 = 27h = 97200; -> Mar 07 09:00 = 21h = 75600;
#   median 86400.
# No failures: change_fail_rate 0 (Elite), recovery null, rework 0.
set -euo pipefail
source "$(dirname "$0")/../lib.sh" "$1"

commit "c1 initial" 2024-03-04T09:00:00Z
commit "c2 new renderer" 2024-03-04T15:00:00Z
commit "c3 renderer fix" 2024-03-06T09:00:00Z
tag v1.0 2024-03-05T09:00:00Z HEAD~1
tag v1.1 2024-03-06T12:00:00Z HEAD~2
tag v1.2 2024-03-07T09:00:00Z HEAD
