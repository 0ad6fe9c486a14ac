#!/usr/bin/env bash
# One entry point for people and CI: sets up .venv from pinned versions, then
#   ./run.sh build   build the handbook into site/ (strict)
#   ./run.sh serve   serve it on http://127.0.0.1:8000 with live reload
#   ./run.sh test    lint, check the sample plans, run every test (browser included)
#   ./run.sh check   run 'handbook check --strict' on plans/
set -euo pipefail
cd "$(dirname "$0")"
export NO_MKDOCS_2_WARNING=1

python_bin() {
  for candidate in python3.11 python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return
    fi
  done
  echo "error: Python 3.11 or newer is needed (python3.11 not found)" >&2
  exit 1
}

setup() {
  local stamp=.venv/.installed
  if [ ! -x .venv/bin/python ]; then
    "$(python_bin)" -m venv .venv
  fi
  if [ ! -f "$stamp" ] || [ requirements.lock -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
    touch "$stamp"
  fi
}

browser() {
  # The browser tests drive Debian's Chromium (Playwright's own download does not work offline).
  local chromium="${HANDBOOK_CHROMIUM:-/usr/bin/chromium}"
  if [ -x "$chromium" ]; then
    return
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium for the browser tests ..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "error: $chromium is missing; install Debian's 'chromium' package (sudo apt-get install chromium)" >&2
    echo "       or point HANDBOOK_CHROMIUM at a Chromium binary" >&2
    exit 1
  fi
}

# Reproducible builds: the same commit gives the same files. MkDocs stamps
# sitemap.xml with the build date; pin it to the last commit's date.
if [ -z "${SOURCE_DATE_EPOCH:-}" ] && git rev-parse --git-dir >/dev/null 2>&1; then
  SOURCE_DATE_EPOCH="$(git log -1 --format=%ct 2>/dev/null || true)"
  [ -n "$SOURCE_DATE_EPOCH" ] && export SOURCE_DATE_EPOCH
fi

command="${1:-build}"
shift || true
case "$command" in
  build)
    setup
    .venv/bin/mkdocs build --strict "$@"
    echo "built: open site/index.html or run './run.sh serve'"
    ;;
  serve)
    setup
    .venv/bin/mkdocs serve --strict "$@"
    ;;
  check)
    setup
    .venv/bin/handbook check --strict "$@"
    ;;
  test)
    setup
    browser
    .venv/bin/ruff check macros tests
    .venv/bin/ruff format --check macros tests
    # The sample's dates age with the calendar; these two date-driven warnings are tested in
    # tests/test_review.py with a pinned HANDBOOK_TODAY.
    .venv/bin/handbook check --strict --ignore review-overdue --ignore goal-deadline-passed plans
    .venv/bin/handbook schema --check
    .venv/bin/handbook codeowners --check
    .venv/bin/python -m pytest "$@"
    ;;
  *)
    echo "usage: ./run.sh [build|serve|check|test]" >&2
    exit 2
    ;;
esac
