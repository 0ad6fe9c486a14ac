#!/usr/bin/env bash
# Managed by 'handbook upgrade' (engine $version): replaced on upgrade. Delete this line to keep your own version.
#   ./run.sh build            set up .venv from requirements.txt, build the handbook into site/ (strict)
#   ./run.sh serve            the same, served on http://127.0.0.1:8000 with live reload
#   ./run.sh check [OPTION]   check plans/ (errors fail; warnings lead through the method)
#   ./run.sh upgrade VERSION  install engine VERSION, refresh the managed files, check and build
# pip finds the engine where your pip configuration points (PIP_INDEX_URL, PIP_FIND_LINKS, pip.conf).
set -euo pipefail
cd "$$(dirname "$$0")"
export NO_MKDOCS_2_WARNING=1

setup() {
  if [ ! -x .venv/bin/python ]; then
    python3 -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))' ||
      { echo "error: Python 3.11 or newer is needed (python3 is $$(python3 --version 2>&1))" >&2; exit 1; }
    python3 -m venv .venv
  fi
  local stamp=.venv/.installed wanted
  wanted="$$(cksum < requirements.txt)"
  if [ "$$(cat "$$stamp" 2>/dev/null)" != "$$wanted" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
    echo "$$wanted" > "$$stamp"
  fi
}

# One function, called on the last line: bash has read the whole script before it runs, so an
# upgrade that replaces this file cannot change the lines still to run.
main() {
  case "$${1:-build}" in
    build) setup; .venv/bin/python -m mkdocs build --strict ;;
    serve) setup; HANDBOOK_PREVIEW="$${HANDBOOK_PREVIEW:-1}" .venv/bin/python -m mkdocs serve --dirty ;;
    check) shift; setup; .venv/bin/handbook check plans "$$@" ;;
    upgrade)
      [ -n "$${2:-}" ] || { echo "usage: ./run.sh upgrade VERSION" >&2; exit 2; }
      setup
      .venv/bin/python -m pip install --quiet --disable-pip-version-check "social-media-handbook==$$2"
      .venv/bin/handbook upgrade .
      rm -f .venv/.installed
      # The new version's run.sh sets up from the new requirements.txt, checks and builds.
      exec bash -c './run.sh check && ./run.sh build'
      ;;
    *) echo "usage: ./run.sh build|serve|check|upgrade VERSION" >&2; exit 2 ;;
  esac
}

main "$$@"; exit
