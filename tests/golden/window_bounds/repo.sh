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
source "$(dirname "$0")/../lib.sh" "$1"

commit "c1 initial" 2024-02-19T12:00:00Z
tag v1.0 2024-02-20T12:00:00Z
commit "c2 billing" 2024-02-28T12:00:00Z
commit "c3 invoices" 2024-02-29T12:00:00Z
tag v1.1 2024-03-01T00:00:00Z
commit "c4 refunds" 2024-03-04T12:00:00Z
tag v1.2 2024-03-05T12:00:00Z
commit "c5 credit notes" 2024-03-07T12:00:00Z
tag v1.3 2024-03-08T00:00:00Z
