#!/usr/bin/env bash
# Linear history, three annotated release tags, one a week.
#
#   c1 Mar 04 09:00   c2 Mar 04 13:00   v1.0 Mar 05 09:00 (on c2)
#   c3 Mar 06 10:00   c4 Mar 07 10:00   c5 Mar 11 09:00   v1.1 Mar 12 09:00 (on c5)
#   c6 Mar 18 09:00                                       v1.2 Mar 19 09:00 (on c6)
#
# Window: --until 2024-03-29T00:00:00Z --window 28d = [Mar 01, Mar 29), 28 days, 4 whole weeks.
#
# v1.0: first deployment, default --lookback 90d: c1 and c2 are both within it, so
#       change_count 2, first_deployment_lookback true.
#       lead c1 = Mar 05 09:00 - Mar 04 09:00 = 86400; c2 = 20h = 72000.
#       median of {72000, 86400} = 79200.
# v1.1: rev-list v1.1 ^v1.0 = c3 c4 c5 -> change_count 3.
#       lead c3 = 6d - 1h = 514800; c4 = 5d - 1h = 428400; c5 = 1d = 86400.
#       median of {86400, 428400, 514800} = 428400.
# v1.2: rev-list v1.2 ^v1.1 = c6 -> change_count 1; lead c6 = 86400, median 86400.
#
# Summary lead times (n=6), sorted: 72000, 86400, 86400, 86400, 428400, 514800.
#   median: rank 0.5*5 = 2.5  -> 86400 + 0.5*(86400 - 86400)  = 86400
#   p75:    rank 0.75*5 = 3.75 -> 86400 + 0.75*(428400 - 86400) = 342900
#   p90:    rank 0.9*5 = 4.5  -> 428400 + 0.5*(514800 - 428400) = 471600
#   mean:   1274400 / 6 = 212400
#   level 2023: 86400 is not below 1 day (86400) -> High (below 7 days).
# Frequency: 3 deployments / 28 days = 0.107142857/day. Weeks counted back from until:
#   [Mar 22, Mar 29) 0, [Mar 15, Mar 22) 1 (v1.2), [Mar 08, Mar 15) 1 (v1.1), [Mar 01, Mar 08) 1
#   (v1.0) -> per week sorted {0, 1, 1, 1}: median rank 1.5 -> 1; deploy days likewise 1.
#   Level: not 5 deploy days a week; 1 deploy a week -> High.
# Time between deployments: 7d, 7d -> median 604800.
# No failures: change_fail_rate 0 (Elite), no recovery (level null), rework_rate 0.
set -euo pipefail
source "$(dirname "$0")/../lib.sh" "$1"

commit "c1 initial" 2024-03-04T09:00:00Z
commit "c2 add parser" 2024-03-04T13:00:00Z
tag v1.0 2024-03-05T09:00:00Z
commit "c3 add lexer" 2024-03-06T10:00:00Z
commit "c4 add tests" 2024-03-07T10:00:00Z
commit "c5 add docs" 2024-03-11T09:00:00Z
tag v1.1 2024-03-12T09:00:00Z
commit "c6 fix typo" 2024-03-18T09:00:00Z
tag v1.2 2024-03-19T09:00:00Z
