#!/bin/sh
# Bundles a TypeScript benchmark of this package with tsup (plain ESM, no loader hooks in the
# timed code) and runs it. Usage, from packages/core: sh bench/run.sh bench/per-message.ts [filter]
set -e
entry="$1"
shift
out="node_modules/.cache/sf-bench"
pnpm exec tsup "$entry" --no-config --format esm --target node20 --out-dir "$out" --silent
exec node "$out/$(basename "$entry" .ts).js" "$@"
