#!/usr/bin/env bash
# Seeds the fuzz corpus with every action's example answer (prefixed by the action's index).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/decode_answer
cargo run -q -p whmcs-api --example dump_examples --features cli -- fuzz/corpus/decode_answer
