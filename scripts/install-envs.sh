#!/usr/bin/env bash
# Installs the verification environments the learner uses (BFCL multi-turn, TextWorldExpress)
# into the given virtualenv. bfcl-eval is installed without its dependencies on purpose:
# a plain install pulls several GB of CUDA packages it does not need for multi-turn replay.
set -euo pipefail
VENV="${1:-.venv}"
"$VENV/bin/pip" install -q --no-deps "bfcl-eval==2026.3.23"
"$VENV/bin/pip" install -q "mpmath==1.3.0" filelock
