#!/usr/bin/env bash
# Writes the kubectl-stub scenario of the explain suite into $1 (see build-openapi.py). SWAGGER names
# the upstream v1.35.0 swagger.json (default: ../data/swagger-v1.35.0.json beside the checkout).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../../.." && pwd)
python3 "$here/../explain/build-openapi.py" "${SWAGGER:-$top/../data/swagger-v1.35.0.json}" "${1:?usage: scenario.sh OUTDIR}"
