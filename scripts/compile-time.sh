#!/usr/bin/env bash
# Compile time of the generated client, per action, against the published `whmcs` 0.1.1 crate
# (5 actions), measured in the same run. Dependencies are built first; only the crate itself is
# rebuilt and timed (median of RUNS debug builds each). Both are built without incremental
# compilation, as cargo builds a crate that comes from crates.io (a workspace member would
# otherwise pay for writing its incremental cache, which users never do).
#
#     scripts/compile-time.sh            # RUNS=3 by default
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
export CARGO_INCREMENTAL=0
SCRATCH=${SCRATCH:-$(mktemp -d)}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

time_build() { # <dir> <package> <cargo args...>: prints the median seconds of rebuilding <package>
  local dir=$1 pkg=$2; shift 2
  (cd "$dir" && cargo build -q "$@" >/dev/null 2>&1)
  for _ in $(seq "$RUNS"); do
    (cd "$dir" && cargo clean -q -p "$pkg" && s=$(date +%s.%N) && cargo build -q "$@" >/dev/null 2>&1 && e=$(date +%s.%N) && awk -v s="$s" -v e="$e" 'BEGIN { print e - s }')
  done | median
}

echo "building dependencies first (not timed)…" >&2
all=$(time_build . whmcs-api -p whmcs-api)
one=$(time_build . whmcs-api -p whmcs-api --no-default-features --features billing)
billing=$(ls specs/billing/*.toml | wc -l)

mkdir -p "$SCRATCH/src"
cat > "$SCRATCH/Cargo.toml" <<'TOML'
[package]
name = "whmcs-compile-time-baseline"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
whmcs = "=0.1.1"

[workspace]
TOML
echo 'fn main() {}' > "$SCRATCH/src/main.rs"
theirs=$(time_build "$SCRATCH" whmcs)

awk -v all="$all" -v one="$one" -v billing="$billing" -v theirs="$theirs" 'BEGIN {
  printf "whmcs-api, all 162 actions:      %6.2f s  = %.3f s per action\n", all, all / 162
  printf "whmcs-api, billing only (%d):    %6.2f s  = %.3f s per action\n", billing, one, one / billing
  printf "whmcs 0.1.1 (5 actions):         %6.2f s  = %.3f s per action\n", theirs, theirs / 5
  printf "seconds per action, ours / theirs: %.2f (target <= 0.5)\n", (all / 162) / (theirs / 5)
}'
