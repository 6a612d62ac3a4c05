#!/usr/bin/env bash
# Seeds the fuzz corpus with every action's example answer (prefixed by the action's index).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/decode_answer
cargo run -q -p whmcs-api --example dump_examples -- fuzz/corpus/decode_answer

# Seeds the form parser's corpus with PHP's own parse_str cases and every example request body,
# each behind a byte that picks PHP's default limits (1000 variables, nesting 64).
mkdir -p fuzz/corpus/parse_form
jq -r '(.parse_str[].query, .examples[].expected) | select(. != null)' \
    whmcs-php/tests/data/php_goldens.json | {
    n=0
    while IFS= read -r line; do
        n=$((n + 1))
        { printf '\x0a'; printf '%s' "$line"; } > "fuzz/corpus/parse_form/seed-$n"
    done
}
