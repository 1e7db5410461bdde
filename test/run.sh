#!/usr/bin/env bash
# `npm test`: the unit tests first (fast), then the end-to-end and
# external-tool tests, the second part even when the first failed so that
# one run reports everything; exits non-zero when either part failed. Each
# part writes its counts to test/artifacts/results-<part>.json (.ci/run
# sums them). Arguments (file filters, options) go to both parts.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
# A file filter may leave one part without tests; the whole suite must not.
extra=()
[ "$#" -gt 0 ] && extra=(--passWithNoTests)
for part in unit e2e; do
  rm -f "test/artifacts/results-$part.json"
  node_modules/.bin/vitest run --config test/vitest.config.ts --project "$part" --outputFile.json="test/artifacts/results-$part.json" "${extra[@]}" "$@" || status=1
done
exit "$status"
