#!/usr/bin/env bash
# Set up a virtualenv (once) with the runtime and dev requirements, then run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
# ctok (Claude's reconstructed counts) declares Python >= 3.12 and runs on 3.11: requirements.txt
# installs it from 3.12 on; below that it is installed here, so the tests count Claude as the app does.
if ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps --ignore-requires-python "ctok>=1.3,<2"
fi
exec .venv/bin/python -m pytest "$@"
