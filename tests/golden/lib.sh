# Shared by every case's repo.sh: `source "$(dirname "$0")/../lib.sh" "$1"` creates the repository
# in folder $1, enters it, and defines commit, merge and tag with fixed dates.
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
