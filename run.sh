#!/usr/bin/env bash
# One entry point for people and CI: sets up .venv from the hashed locks in requirements/, then
#   ./run.sh build   build the handbook into site/ (strict)
#   ./run.sh serve   serve it on http://127.0.0.1:8000 with live reload
#   ./run.sh test    lint, check the sample plans, run every test (browser included)
#   ./run.sh check   run 'handbook check --strict' on plans/
# build, serve and check install requirements/runtime.txt; test installs requirements/dev.txt
# (the runtime pins plus the test tools).
set -euo pipefail
case "$0" in */*) cd "${0%/*}" ;; esac
export NO_MKDOCS_2_WARNING=1

# Sets $python to the first Python 3.11+ on PATH, or stops with what it found instead.
python_bin() {
  local candidate version found=""
  for candidate in python3.11 python3 python; do
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))' 2>/dev/null; then
      python="$candidate"
      return
    fi
    version="$("$candidate" --version 2>&1 || true)"
    found="${found:+$found, }$candidate is ${version%%$'\n'*}"
  done
  echo "error: Python 3.11 or newer is needed to set up .venv (found: ${found:-no python3 on PATH});" \
    "install it with 'sudo apt-get install python3' (Debian 12, Ubuntu 24.04 or newer) or from" \
    "https://www.python.org/downloads/" >&2
  exit 1
}

# setup runtime|dev: install requirements/<lock>.txt into .venv when it (or pyproject.toml) changed.
# A venv set up from dev.txt also serves build/serve/check: dev.txt holds runtime.txt's pins.
setup() {
  local lock="requirements/$1.txt" stamp=.venv/.installed installed=""
  if [ ! -x .venv/bin/python ]; then
    python_bin
    "$python" -m venv .venv
  fi
  [ -f "$stamp" ] && installed="$(cat "$stamp")"
  if [ "$installed" = "$(fingerprint "$1")" ] ||
    { [ "$1" = runtime ] && [ "$installed" = "$(fingerprint dev)" ]; }; then
    return
  fi
  rm -f "$stamp"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r "$lock"
  # setuptools comes from the lock (hashed), so the editable build uses it instead of fetching one.
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
  fingerprint "$1" >"$stamp"
}

# What a venv installed from a lock depends on: the lock's and pyproject.toml's contents.
fingerprint() {
  echo "$1 $(cat "requirements/$1.txt" pyproject.toml | cksum)"
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

pdf_libraries() {
  # The handbook's PDFs (WeasyPrint) need Pango from the system; Debian packages below.
  if .venv/bin/python -c 'import weasyprint' >/dev/null 2>&1; then
    return
  fi
  local packages="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing the libraries the PDFs need: $packages ..."
    apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null
  else
    echo "error: the PDFs need Pango; install Debian's packages: sudo apt-get install $packages" >&2
    echo "       (or build without PDFs: HANDBOOK_PDF=0 ./run.sh build)" >&2
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
    setup runtime
    [ "${HANDBOOK_PDF:-1}" = 0 ] || pdf_libraries
    .venv/bin/mkdocs build --strict "$@"
    echo "built: open site/index.html or run './run.sh serve'"
    ;;
  serve)
    setup runtime
    # --dirty: the handbook rebuilds only the pages an edit changes; a preview also shows drafts
    HANDBOOK_PREVIEW="${HANDBOOK_PREVIEW:-1}" .venv/bin/mkdocs serve --strict --dirty "$@"
    ;;
  check)
    setup runtime
    .venv/bin/handbook check --strict "$@"
    ;;
  test)
    setup dev
    browser
    pdf_libraries
    .venv/bin/ruff check macros tests
    .venv/bin/ruff format --check macros tests
    # Date-driven warnings (the sample's dates age with the calendar) are shown but do not fail
    # --strict; 'handbook due' reports them, tests/test_due.py pins them with HANDBOOK_TODAY.
    .venv/bin/handbook check --strict plans
    .venv/bin/handbook schema --check
    .venv/bin/handbook codeowners --check
    .venv/bin/python -m pytest "$@"
    ;;
  *)
    echo "usage: ./run.sh [build|serve|check|test]" >&2
    exit 2
    ;;
esac
