#!/usr/bin/env bash
# One entry point for a fresh machine:
#   bash scripts/setup.sh build   install the pinned packages, then build site/ from content/
#   bash scripts/setup.sh test    install those plus the test tools (with the builders ProperDocs and
#                                 Zensical) and Chromium, then run every test
#   bash scripts/setup.sh dev     install those plus the test tools, and the pre-commit hook
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-build}"
py="${PYTHON:-python3}"

install_python() {
  "$py" -m pip install --disable-pip-version-check -q -r "$1"
  # --no-deps: the pins above already hold every dependency; this only adds the `briefing` command.
  "$py" -m pip install --disable-pip-version-check -q --no-deps --no-build-isolation -e .
}

install_chromium() {
  # Browser tests drive Debian's Chromium through Playwright's executablePath;
  # Playwright's own browser download does not work on these machines.
  if [ ! -x /usr/bin/chromium ]; then
    sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_="sudo"
    $sudo_ apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq chromium >/dev/null
  fi
}

case "$what" in
  build)
    install_python requirements.txt
    briefing build
    ;;
  test)
    install_python requirements-test.txt
    install_chromium
    # axe-core for the browser tests' accessibility checks, at the version package-lock.json pins.
    npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
    # Lint, format and type checks over the package, the tests and the benchmark first: they
    # take seconds, and a failure there is cheaper to read than a test run's.
    "$py" -m ruff check generator tests bench
    "$py" -m ruff format --check generator tests bench
    "$py" -m mypy generator bench
    "$py" -m pytest
    ;;
  dev)
    install_python requirements-test.txt
    "$py" -m pre_commit install
    ;;
  *)
    echo "usage: bash scripts/setup.sh build|test|dev" >&2
    exit 2
    ;;
esac
