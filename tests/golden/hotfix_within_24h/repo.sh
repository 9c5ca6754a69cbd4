#!/usr/bin/env bash
# A hotfix branch merged within 24h (the default --hotfix-window) after a deployment marks that
# deployment failed; a fix/ branch merged more than 24h after the last deployment does not.
# Both fixing deployments come from hotfix branches, so both are rework.
#
#   c1 Mar 04 09:00 -- v1.0 Mar 04 12:00;  c2 Mar 05 09:00 -- v1.1 Mar 05 12:00
#   hotfix/login (from c2): h1 Mar 05 18:00; merged (--no-ff) into main Mar 05 20:00 = H
#   v1.2 Mar 05 22:00 (on H)
#   fix/typo (from H): f1 Mar 07 09:00; merged into main Mar 07 13:00 = F
#   v1.3 Mar 08 09:00 (on F)
#
# Window: --until 2024-03-11T00:00:00Z --window 7d = [Mar 04, Mar 11), 1 whole week.
#
# v1.0: first deployment: c1, change_count 1, lead 3h = 10800.
# v1.1: c2, change_count 1, lead 3h = 10800. H merges hotfix/login at Mar 05 20:00; the last
#       successful deployment at or before then is v1.1 (8h earlier, within 24h) -> failed,
#       reason `hotfix`; restored by v1.2 (first to ship H): recovery 22:00 - 12:00 = 36000.
# v1.2: rev-list v1.2 ^v1.1 = h1 H -> change_count 2, 1 merge; lead h1 = 4h = 14400. Rework.
# v1.3: rev-list v1.3 ^v1.2 = f1 F -> change_count 2, 1 merge; lead f1 = 1d = 86400. Rework
#       (fix/ is a hotfix prefix). F was merged 39h after v1.2, beyond 24h: v1.2 did not fail.
#
# Summary lead times (n=4): 10800, 10800, 14400, 86400.
#   median rank 1.5 -> 12600; p75 rank 2.25 -> 14400 + 0.25*72000 = 32400;
#   p90 rank 2.7 -> 14400 + 0.7*72000 = 64800; mean 122400 / 4 = 30600. Level: Elite.
#   merge_commits_excluded 2.
# Change fail rate: 1 / 4 = 0.25 -> Low. Recovery: 36000 -> below 1 day -> High.
# Rework: v1.2 and v1.3 -> 2 / 4 = 0.5.
# Frequency: 4 / 7 days = 0.571428571/day; 4 deploys on 3 days (two on Mar 05) -> High.
# Time between: 86400, 36000, Mar 05 22:00 -> Mar 08 09:00 = 212400 -> median 86400.
set -euo pipefail
source "$(dirname "$0")/../lib.sh" "$1"

commit "c1 initial" 2024-03-04T09:00:00Z
tag v1.0 2024-03-04T12:00:00Z
commit "c2 new login page" 2024-03-05T09:00:00Z
tag v1.1 2024-03-05T12:00:00Z
git checkout -q -b hotfix/login
commit "h1 fix login redirect" 2024-03-05T18:00:00Z
git checkout -q main
merge hotfix/login 2024-03-05T20:00:00Z
tag v1.2 2024-03-05T22:00:00Z
git checkout -q -b fix/typo
commit "f1 fix typo on login page" 2024-03-07T09:00:00Z
git checkout -q main
merge fix/typo 2024-03-07T13:00:00Z
tag v1.3 2024-03-08T09:00:00Z
