#!/usr/bin/env bash
# The window is [since, until): a deployment exactly at since is in, one exactly at until is out.
# A deployment before the window is not listed but is still the previous deployment of the first
# one listed (which is therefore not a lookback deployment).
#
#   c1 Feb 19 12:00                      v1.0 2024-02-20T12:00:00Z (before the window)
#   c2 Feb 28 12:00, c3 Feb 29 12:00     v1.1 2024-03-01T00:00:00Z (exactly at since: in)
#   c4 Mar 04 12:00                      v1.2 2024-03-05T12:00:00Z (in)
#   c5 Mar 07 12:00                      v1.3 2024-03-08T00:00:00Z (exactly at until: out)
#
# Window: --until 2024-03-08T00:00:00Z --window 7d = [Mar 01, Mar 08), 1 whole week.
#
# v1.1: rev-list v1.1 ^v1.0 = c2 c3 -> change_count 2, first_deployment_lookback false;
#       leads c2 = 36h = 129600, c3 = 12h = 43200 (2024 is a leap year: Feb 29 exists);
#       median 86400.
# v1.2: rev-list v1.2 ^v1.1 = c4 -> change_count 1, lead 1d = 86400.
#
# Summary: 2 deployments in the window (v1.0 and v1.3 are outside).
#   Lead times (n=3): 43200, 86400, 129600: median 86400; p75 rank 1.5 -> 108000;
#   p90 rank 1.8 -> 86400 + 0.8*43200 = 120960; mean 86400. Level: not below 1 day -> High.
# Frequency: 2 / 7 days = 0.285714286/day; 2 deploys on 2 days -> High.
# Time between: Mar 01 00:00 -> Mar 05 12:00 = 388800.
# No failures: change_fail_rate 0 (Elite), recovery null, rework 0.
set -euo pipefail
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
mkdir -p "$1"
cd "$1"
git init -q -b main
git config user.name 'Ada Lovelace'
git config user.email ada@example.com
git config commit.gpgsign false
git config tag.gpgsign false

# commit MESSAGE DATE [AUTHOR_DATE]: adds one file named after the message and commits it.
commit() {
  local file
  file="$(printf '%s' "$1" | tr -c 'A-Za-z0-9' '_').txt"
  printf '%s\n' "$1" >"$file"
  git add "$file"
  GIT_AUTHOR_DATE="${3:-$2}" GIT_COMMITTER_DATE="$2" git commit -q -m "$1"
}
# merge BRANCH DATE: git merge --no-ff with git's default message ("Merge branch 'BRANCH'").
merge() {
  GIT_AUTHOR_DATE="$2" GIT_COMMITTER_DATE="$2" git merge -q --no-ff --no-edit "$1"
}
# tag NAME DATE [TARGET]: an annotated tag dated DATE.
tag() {
  GIT_COMMITTER_DATE="$2" git tag -a -m "Release $1" "$1" "${3:-HEAD}"
}

commit "c1 initial" 2024-02-19T12:00:00Z
tag v1.0 2024-02-20T12:00:00Z
commit "c2 billing" 2024-02-28T12:00:00Z
commit "c3 invoices" 2024-02-29T12:00:00Z
tag v1.1 2024-03-01T00:00:00Z
commit "c4 refunds" 2024-03-04T12:00:00Z
tag v1.2 2024-03-05T12:00:00Z
commit "c5 credit notes" 2024-03-07T12:00:00Z
tag v1.3 2024-03-08T00:00:00Z
