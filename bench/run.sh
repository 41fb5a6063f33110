#!/usr/bin/env bash
# Load benchmarks: a release build on SQLite with demo data, measured with wrk
# over loopback. Appends requests/s and p50/p99 latency per page to
# bench/RESULTS.md with the date and machine. Nothing here is asserted in tests;
# the budgets are in ARCHITECTURE.md.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release --locked

PORT="${BENCH_PORT:-8190}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
DURATION="${BENCH_DURATION:-10s}"
DATA="$(mktemp -d)"
BIN=target/release/securebase

start_ms=$(date +%s%3N)
RUST_LOG=warn "$BIN" --data-dir "$DATA" --bind "127.0.0.1:$PORT" serve --demo &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.05; done
ready_ms=$(( $(date +%s%3N) - start_ms ))
idle_kb=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER/status")

# The demo member Sam gets three years of daily check-ins for the dashboard.
python3 bench/seed_checkins.py "$DATA/securebase.db" sam@demo.securebase >&2
# ...and 5 000 journal entries, for the journal list.
python3 bench/seed_journal.py "$DATA/securebase.db" sam@demo.securebase 5000 >&2

# A signed-in member's session cookie.
COOKIE=$(curl -fs -D - -o /dev/null -H 'content-type: application/json' \
  -d '{"email":"alex@demo.securebase","password":"securebase-demo"}' \
  "http://127.0.0.1:$PORT/api/v1/auth/login" | awk -F'[ ;]' 'tolower($1)=="set-cookie:" {print $2}')
SAM_COOKIE=$(curl -fs -D - -o /dev/null -H 'content-type: application/json' \
  -d '{"email":"sam@demo.securebase","password":"securebase-demo"}' \
  "http://127.0.0.1:$PORT/api/v1/auth/login" | awk -F'[ ;]' 'tolower($1)=="set-cookie:" {print $2}')

measure() { # name path [cookie]
  local name=$1 path=$2 header=()
  [ -n "${3:-}" ] && header=(-H "Cookie: $3")
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "${header[@]}" "http://127.0.0.1:$PORT$path")
  local rps p50 p99 bytes
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  bytes=$(curl -fs "${header[@]}" "http://127.0.0.1:$PORT$path" | wc -c)
  printf '| %s | `%s` | %s | %s | %s | %s |\n' "$name" "$path" "$rps" "$p50" "$p99" "$bytes"
}

{
  printf '\n## %s — %s, %s cores, %s\n\n' "$(date -u +%Y-%m-%d)" "$(uname -m)" "$(nproc)" \
    "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  printf 'SQLite, %s connections, %s per page. Ready in %s ms; idle RSS %s KiB.\n\n' \
    "$CONNECTIONS" "$DURATION" "$ready_ms" "$idle_kb"
  printf '| page | path | requests/s | p50 | p99 | HTML bytes |\n|---|---|---|---|---|---|\n'
  measure "sign-in page" /signin
  measure "visitor home" /
  measure "member home (signed in)" / "$COOKIE"
  measure "settings (signed in)" /settings "$COOKIE"
  measure "guide chapter" /guide/conflict
  measure "post list" /posts
  measure "search query" "/search?q=repair+conflict"
  measure "dashboard, 3 years of check-ins" "/dashboard?range=all" "$SAM_COOKIE"
  measure "dashboard, 3 months" "/dashboard" "$SAM_COOKIE"
  measure "journal list, 5 000 entries, first page" /practice/journal "$SAM_COOKIE"
  measure "journal list, 5 000 entries, page 200" "/practice/journal?page=200" "$SAM_COOKIE"
  measure "journal API, 5 000 entries" /api/v1/journal "$SAM_COOKIE"
  measure "member home, 5 000 entries and 3 years of check-ins" / "$SAM_COOKIE"
} | tee -a bench/RESULTS.md

# Sign-in burst: resident memory before, at the peak of, and after 3 bursts of
# 120 concurrent sign-ins (unknown emails, so each runs Argon2).
{
  printf '\n| sign-in burst | requests | idle RSS | peak RSS | settled RSS (15 s later) | time | answers |\n'
  printf '|---|---|---|---|---|---|---|\n'
  python3 bench/signin_burst.py --binary "$BIN" --label "release build"
} | tee -a bench/RESULTS.md
