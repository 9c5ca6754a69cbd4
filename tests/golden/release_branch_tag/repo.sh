#!/usr/bin/env bash
# A release tagged on a side branch, then a tag on main. The main tag's changes are counted
# against the release-branch tag (the previous successful deployment), not against the previous
# main tag; the release-branch fix is never merged back.
#
#   main:         m1 Mar 04 09:00 -- v1.0 Mar 04 12:00; m2 Mar 05 09:00
#   release/1.1:  (from m2) r1 Mar 06 09:00 -- v1.1 Mar 06 12:00 (on r1)
#   main:         m3 Mar 07 09:00, m4 Mar 07 15:00 -- v1.2 Mar 08 09:00 (on m4)
#
# Window: --until 2024-03-11T00:00:00Z --window 7d = [Mar 04, Mar 11), 1 whole week.
#
# v1.0: first deployment: m1, change_count 1, lead 3h = 10800.
# v1.1: rev-list v1.1 ^v1.0 = m2 r1 -> change_count 2;
#       leads m2 = Mar 05 09:00 -> Mar 06 12:00 = 27h = 97200; r1 = 3h = 10800; median 54000.
# v1.2: rev-list v1.2 ^v1.1 = m3 m4 -> change_count 2 (m2 already shipped with v1.1; against
#       v1.0 it would be 3); leads m3 = 1d = 86400, m4 = 18h = 64800; median 75600.
#
# Summary lead times (n=5): 10800, 10800, 64800, 86400, 97200.
#   median rank 2 -> 64800; p75 rank 3 -> 86400;
#   p90 rank 3.6 -> 86400 + 0.6*(97200 - 86400) = 92880; mean 270000 / 5 = 54000.
#   Level: 64800 < 1 day -> Elite.
# Frequency: 3 / 7 days = 0.428571429/day; 3 deploys on 3 days in the week -> High.
# Time between: Mar 04 12:00 -> Mar 06 12:00 = 172800; -> Mar 08 09:00 = 45h = 162000;
#   median 167400.
# No failures: change_fail_rate 0 (Elite), recovery null, rework 0.
set -euo pipefail
source "$(dirname "$0")/../lib.sh" "$1"

commit "m1 initial" 2024-03-04T09:00:00Z
tag v1.0 2024-03-04T12:00:00Z
commit "m2 add export" 2024-03-05T09:00:00Z
git checkout -q -b release/1.1
commit "r1 fix export encoding" 2024-03-06T09:00:00Z
tag v1.1 2024-03-06T12:00:00Z
git checkout -q main
commit "m3 add import" 2024-03-07T09:00:00Z
commit "m4 import progress" 2024-03-07T15:00:00Z
tag v1.2 2024-03-08T09:00:00Z
