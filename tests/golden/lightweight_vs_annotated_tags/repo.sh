#!/usr/bin/env bash
# Lightweight tags are dated by their commit's committer time, annotated tags by the tagger's
# time; lead time always starts at the author time. A tag not matching the default pattern
# (^v?[0-9]+(\.[0-9]+)*$) is not a deployment.
#
#   c1 author Mar 04 08:00, committer Mar 04 09:00   v1.0 lightweight  -> finished Mar 04 09:00
#   c2 author Mar 05 09:00, committer Mar 05 10:00   v1.1 annotated Mar 06 09:00
#                                                    nightly-20240306 annotated Mar 06 10:00
#                                                    (not a release tag: ignored)
#   c3 author Mar 07 06:00, committer Mar 07 09:00   v1.2 lightweight  -> finished Mar 07 09:00
#
# Window: --until 2024-03-11T00:00:00Z --window 7d = [Mar 04, Mar 11), 1 whole week.
#
# v1.0: first deployment: c1, change_count 1; lead Mar 04 09:00 - 08:00 = 3600.
# v1.1: c2, change_count 1; lead Mar 06 09:00 - Mar 05 09:00 = 86400 (not from the tag's commit
#       time 10:00, and not finished at it either).
# v1.2: c3, change_count 1; lead Mar 07 09:00 - 06:00 = 10800.
#
# Summary lead times (n=3): 3600, 10800, 86400: median 10800;
#   p75 rank 1.5 -> 10800 + 0.5*75600 = 48600; p90 rank 1.8 -> 10800 + 0.8*75600 = 71280;
#   mean 100800 / 3 = 33600. Level: Elite.
# Frequency: 3 / 7 days = 0.428571429/day; 3 deploys on 3 days -> High.
# Time between: Mar 04 09:00 -> Mar 06 09:00 = 172800; -> Mar 07 09:00 = 86400; median 129600.
# No failures: change_fail_rate 0 (Elite), recovery null, rework 0.
set -euo pipefail
source "$(dirname "$0")/../lib.sh" "$1"

commit "c1 initial" 2024-03-04T09:00:00Z 2024-03-04T08:00:00Z
git tag v1.0
commit "c2 search" 2024-03-05T10:00:00Z 2024-03-05T09:00:00Z
tag v1.1 2024-03-06T09:00:00Z
tag nightly-20240306 2024-03-06T10:00:00Z
commit "c3 search ranking" 2024-03-07T09:00:00Z 2024-03-07T06:00:00Z
git tag v1.2
