#!/usr/bin/env bash
# A criss-cross merge: main and side each merge the other's tip, so the final merge has two merge
# bases (a1 and b1). Every commit must still be counted once.
#
#   main: m0 Mar 04 09:00 -- v1.0 Mar 04 10:00
#   main: a1 Mar 05 09:00            side (from m0): b1 Mar 05 10:00
#   main: M1 = merge side  Mar 05 12:00 (parents a1, b1)
#   side: M2 = merge a1    Mar 05 13:00 (parents b1, a1)   <- the criss-cross
#   main: a2 Mar 06 09:00            side: b2 Mar 06 10:00
#   main: M3 = merge side  Mar 06 12:00 (parents a2, b2; merge bases a1 and b1)
#   v1.1 Mar 07 09:00 (on M3)
#   main: d1 Mar 08 09:00 -- v1.2 Mar 08 11:00
#
# Window: --until 2024-03-11T00:00:00Z --window 7d = [Mar 04, Mar 11), 1 whole week.
#
# v1.0: first deployment: m0, change_count 1, lead 1h = 3600.
# v1.1: rev-list v1.1 ^v1.0 = a1 b1 M1 M2 a2 b2 M3 -> change_count 7, 3 of them merges.
#       leads: a1 = Mar 05 09:00 -> Mar 07 09:00 = 172800; b1 = 2d - 1h = 169200;
#       a2 = 86400; b2 = 23h = 82800. median of {82800, 86400, 169200, 172800} = 127800.
# v1.2: rev-list v1.2 ^v1.1 = d1 -> change_count 1, lead 2h = 7200.
#
# Summary lead times (n=6): 3600, 7200, 82800, 86400, 169200, 172800.
#   median rank 2.5 -> (82800 + 86400) / 2 = 84600;
#   p75 rank 3.75 -> 86400 + 0.75*(169200 - 86400) = 148500;
#   p90 rank 4.5 -> 169200 + 0.5*(172800 - 169200) = 171000;
#   mean 522000 / 6 = 87000. merge_commits_excluded 3. Level: 84600 < 1 day -> Elite.
# Frequency: 3 / 7 days = 0.428571429/day; the week holds 3 deploys on 3 days -> High.
# Time between: Mar 04 10:00 -> Mar 07 09:00 = 255600; -> Mar 08 11:00 = 93600;
#   median 174600.
# No failures: change_fail_rate 0 (Elite), recovery null, rework 0.
set -euo pipefail
source "$(dirname "$0")/../lib.sh" "$1"

commit "m0 initial" 2024-03-04T09:00:00Z
tag v1.0 2024-03-04T10:00:00Z
git branch side
commit "a1 main work" 2024-03-05T09:00:00Z
git checkout -q side
commit "b1 side work" 2024-03-05T10:00:00Z
git checkout -q main
merge side 2024-03-05T12:00:00Z
git checkout -q side
merge "main^1" 2024-03-05T13:00:00Z
git checkout -q main
commit "a2 more main work" 2024-03-06T09:00:00Z
git checkout -q side
commit "b2 more side work" 2024-03-06T10:00:00Z
git checkout -q main
merge side 2024-03-06T12:00:00Z
tag v1.1 2024-03-07T09:00:00Z
commit "d1 follow-up" 2024-03-08T09:00:00Z
tag v1.2 2024-03-08T11:00:00Z
