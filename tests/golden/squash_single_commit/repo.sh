#!/usr/bin/env bash
# A squash merge: the branch's three commits are squashed into one commit on main and the branch
# is deleted, so the deployment ships (and credits) exactly one change, dated by the squash.
#
#   main:           m1 Mar 04 09:00 -- v1.0 Mar 04 10:00
#   feature/login:  f1 Mar 05 09:00, f2 Mar 05 11:00, f3 Mar 06 09:00 (from m1; deleted later)
#   main:           S = `git merge --squash feature/login` committed Mar 06 15:00
#                   v1.1 Mar 07 09:00 (on S)
#
# Window: --until 2024-03-08T00:00:00Z --window 7d = [Mar 01, Mar 08), 1 whole week.
#
# v1.0: first deployment: m1 within the lookback, change_count 1, lead 1h = 3600.
# v1.1: rev-list v1.1 ^v1.0 = S (f1..f3 are not ancestors of S) -> change_count 1;
#       lead S = Mar 06 15:00 -> Mar 07 09:00 = 18h = 64800.
#
# Summary lead times (n=2): 3600, 64800.
#   median rank 0.5 -> 3600 + 0.5*61200 = 34200; p75 rank 0.75 -> 3600 + 0.75*61200 = 49500;
#   p90 rank 0.9 -> 3600 + 0.9*61200 = 58680; mean 34200. Level: below 1 day -> Elite.
# Frequency: 2 / 7 days = 0.285714286/day; the one week holds 2 deploys on 2 days -> High.
# Time between: Mar 04 10:00 -> Mar 07 09:00 = 3d - 1h = 255600.
# No failures: change_fail_rate 0 (Elite), recovery null, rework 0.
set -euo pipefail
source "$(dirname "$0")/../lib.sh" "$1"

commit "m1 initial" 2024-03-04T09:00:00Z
tag v1.0 2024-03-04T10:00:00Z
git checkout -q -b feature/login
commit "f1 login form" 2024-03-05T09:00:00Z
commit "f2 login validation" 2024-03-05T11:00:00Z
commit "f3 login tests" 2024-03-06T09:00:00Z
git checkout -q main
git merge -q --squash feature/login
GIT_AUTHOR_DATE=2024-03-06T15:00:00Z GIT_COMMITTER_DATE=2024-03-06T15:00:00Z \
  git commit -q -m "Add login (#12)"
git branch -q -D feature/login
tag v1.1 2024-03-07T09:00:00Z
