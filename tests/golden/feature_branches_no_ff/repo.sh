#!/usr/bin/env bash
# Feature branches merged with --no-ff: merge commits count in change_count (git rev-list counts
# them) but carry no authored change, so they are excluded from lead time.
#
#   main:       m1 Mar 04 09:00 -- v1.0 Mar 04 12:00
#   feature/a:  a1 Mar 05 09:00, a2 Mar 05 15:00 (from m1)
#   feature/b:  b1 Mar 06 09:00 (from m1)
#   main:       M1 = merge feature/a Mar 06 12:00, M2 = merge feature/b Mar 07 12:00
#               v1.1 Mar 08 12:00 (on M2)
#   feature/c:  c1 Mar 11 09:00 (from M2); main: M3 = merge feature/c Mar 11 15:00
#               v1.2 Mar 12 09:00 (on M3)
#
# Window: --until 2024-03-15T00:00:00Z --window 14d = [Mar 01, Mar 15), 2 whole weeks.
#
# v1.0: first deployment, m1 within the 90d lookback: change_count 1, lead 3h = 10800.
# v1.1: rev-list v1.1 ^v1.0 = a1 a2 b1 M1 M2 -> change_count 5; lead-time sample 3 (M1, M2 are
#       merges): a1 = Mar 05 09:00 -> Mar 08 12:00 = 3d 3h = 270000; a2 = 2d 21h = 248400;
#       b1 = 2d 3h = 183600. median of {183600, 248400, 270000} = 248400.
# v1.2: rev-list v1.2 ^v1.1 = c1 M3 -> change_count 2; sample 1: c1 = 1d = 86400.
#
# Summary lead times (n=5): 10800, 86400, 183600, 248400, 270000.
#   median rank 2 -> 183600; p75 rank 3 -> 248400;
#   p90 rank 3.6 -> 248400 + 0.6*(270000 - 248400) = 261360; mean 799200 / 5 = 159840.
#   merge_commits_excluded 3. Level: 183600 < 7 days -> High.
# Frequency: 3 / 14 days = 0.214285714/day. Weeks back from until: [Mar 08, Mar 15) has v1.1 and
#   v1.2 (2 deploys, 2 days), [Mar 01, Mar 08) has v1.0 (1) -> medians 1.5 and 1.5 -> High.
# Time between: Mar 04 12:00 -> Mar 08 12:00 = 345600; -> Mar 12 09:00 = 334800;
#   median 340200.
# No failures: change_fail_rate 0 (Elite), recovery null, rework 0.
set -euo pipefail
source "$(dirname "$0")/../lib.sh" "$1"

commit "m1 initial" 2024-03-04T09:00:00Z
tag v1.0 2024-03-04T12:00:00Z
git checkout -q -b feature/a
commit "a1 add search box" 2024-03-05T09:00:00Z
commit "a2 style search box" 2024-03-05T15:00:00Z
git checkout -q -b feature/b main
commit "b1 add footer" 2024-03-06T09:00:00Z
git checkout -q main
merge feature/a 2024-03-06T12:00:00Z
merge feature/b 2024-03-07T12:00:00Z
tag v1.1 2024-03-08T12:00:00Z
git checkout -q -b feature/c
commit "c1 add header" 2024-03-11T09:00:00Z
git checkout -q main
merge feature/c 2024-03-11T15:00:00Z
tag v1.2 2024-03-12T09:00:00Z
