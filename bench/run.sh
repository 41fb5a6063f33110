#!/usr/bin/env bash
# Load benchmarks, as ratios to nginx in the same run. A release build serves
# the demo content (plus a member with years of check-ins and many journal
# entries) on SQLite and then on PostgreSQL; for every page, nginx serves that
# page's own bytes as a static file, and the table gives each page's share of
# nginx beside its requests/s and p99. Appends the tables to bench/RESULTS.md
# with the date and machine. Nothing here is asserted in tests; the targets are
# in ARCHITECTURE.md.
#
#   bench/run.sh                 both databases
#   BENCH_BACKENDS=sqlite bench/run.sh
#   BENCH_PAGES=media bench/run.sh   only the library's byte ranges
#
# Settings: BENCH_DURATION (5s), BENCH_CONNECTIONS (64), BENCH_RANGE_ROUNDS (3), BENCH_PORT (8190),
# BENCH_POSTGRES_URL (postgres://postgres@127.0.0.1:5432/postgres, used to make
# and drop a database of its own).
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }; }
need wrk wrk
need nginx nginx
need curl curl
cargo build --release --locked --bin securebase --example any_cost

PORT="${BENCH_PORT:-8190}"
NGINX_PORT=$((PORT + 1))
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
DURATION="${BENCH_DURATION:-5s}"
BACKENDS="${BENCH_BACKENDS:-sqlite postgres}"
PG_ADMIN_URL="${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
BIN="$PWD/target/release/securebase"
WORK="$(mktemp -d)"
SERVER=""
NGINX=""
PG_DB=""

cleanup() {
  # Only the script itself cleans up (a background subshell inherits the trap).
  [ "$BASHPID" = "$$" ] || return 0
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  [ -n "$NGINX" ] && kill "$NGINX" 2>/dev/null && wait "$NGINX" 2>/dev/null
  [ -n "$PG_DB" ] && psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

# nginx on its own configuration, serving $WORK/static.
mkdir -p "$WORK/static" "$WORK/nginx"
# nginx's workers run as an unprivileged user: they must be able to read the files.
chmod 755 "$WORK" "$WORK/static"
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  types { text/html html; }
  server { listen 127.0.0.1:$NGINX_PORT; root $WORK/static; }
}
EOF
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
NGINX=$!

sql_value() { # database_url sql -> the first column of the first row
  case "$1" in
    sqlite:*) python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' \
      "${1#sqlite://}" "$2" ;;
    *) psql "$1" -tAc "$2" ;;
  esac
}

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

wrk_run() { # url [cookie] -> "requests/s p99"
  local header=()
  [ -n "${2:-}" ] && header=(-H "Cookie: $2")
  wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "${header[@]}" "$1" |
    awk '/Requests\/sec/ {rps=$2} $1=="99%" {p99=$2} END {printf "%d %s", rps, p99}'
}

sign_in() { # email -> session cookie
  curl -fs -D - -o /dev/null -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"securebase-demo\"}" \
    "http://127.0.0.1:$PORT/api/v1/auth/login" | awk -F'[ ;]' 'tolower($1)=="set-cookie:" {print $2}' | paste -sd';' | sed 's/;/; /g'
}

PEAK_FILE="$WORK/peak"
sample_memory() { # pid: keeps the highest VmRSS seen in $PEAK_FILE
  local peak=0 now
  while kill -0 "$1" 2>/dev/null; do
    now=$(rss_kib "$1" 2>/dev/null || echo 0)
    [ "${now:-0}" -gt "$peak" ] && peak=$now && echo "$peak" >"$PEAK_FILE"
    sleep 0.1
  done
}

expect_status() { # status url [curl args]: stop unless the answer has this status
  local want=$1 url=$2 got
  shift 2
  got=$(curl -s -o /dev/null -w '%{http_code}' "$@" "$url")
  [ "$got" = "$want" ] || { echo "expected $want from $url, got $got" >&2; exit 1; }
}

measure() { # name path [cookie]: one table row
  local name=$1 path=$2 cookie=${3:-} n
  n=$((${n_page:-0} + 1)); n_page=$n
  local header=()
  [ -n "$cookie" ] && header=(-H "Cookie: $cookie")
  curl -fs "${header[@]}" "http://127.0.0.1:$PORT$path" >"$WORK/static/$n.html"
  local bytes app nginx_result
  bytes=$(wc -c <"$WORK/static/$n.html")
  expect_status 200 "http://127.0.0.1:$NGINX_PORT/$n.html"
  read -r app_rps app_p99 <<<"$(wrk_run "http://127.0.0.1:$PORT$path" "$cookie")"
  read -r nginx_rps nginx_p99 <<<"$(wrk_run "http://127.0.0.1:$NGINX_PORT/$n.html")"
  printf '| %s | `%s` | %s | %s | %s %% | %s | %s | %s |\n' "$name" "$path" "$app_rps" "$nginx_rps" \
    "$(awk -v a="$app_rps" -v b="$nginx_rps" 'BEGIN {printf "%.1f", b ? 100 * a / b : 0}')" \
    "$app_p99" "$nginx_p99" "$bytes"
}

# A 64 MiB recording: the demo MP4's head (so it is recognised) and random
# bytes after it, uploaded by the coach with tus and published.
upload_big_recording() { # coach cookie -> recording id
  local cookie=$1 file="$WORK/big.mp4" location id
  if [ ! -f "$file" ]; then
    cp content/library/the-dance-we-get-stuck-in.mp4 "$file"
    head -c $((64 * 1024 * 1024 - $(wc -c <"$file"))) /dev/urandom >>"$file"
  fi
  location=$(curl -fs -D - -o /dev/null -X POST -H "Cookie: $cookie" -H 'Tus-Resumable: 1.0.0' \
    -H "Upload-Length: $(wc -c <"$file")" -H 'Upload-Metadata: filename YmlnLm1wNA==' \
    "http://127.0.0.1:$PORT/coach/library/uploads" | awk 'tolower($1)=="location:" {print $2}' | tr -d '\r')
  curl -fs -D - -o /dev/null -X PATCH -H "Cookie: $cookie" -H 'Tus-Resumable: 1.0.0' -H 'Upload-Offset: 0' \
    -H 'Content-Type: application/offset+octet-stream' --data-binary @"$file" "http://127.0.0.1:$PORT$location" |
    awk 'tolower($1)=="upload-recording:" {print $2}' | tr -d '\r' | cut -d/ -f4 >"$WORK/big-id"
  id=$(cat "$WORK/big-id")
  curl -fs -o /dev/null -H "Cookie: $cookie" -d 'title=Bench&session_date=2026-12-01&published=on' \
    "http://127.0.0.1:$PORT/coach/library/$id"
  cp "$file" "$WORK/static/big.mp4"
  echo "$id"
}

measure_range() { # name path range cookie: one row, against nginx serving the same file and range
  local name=$1 path=$2 range=$3 cookie=$4
  expect_status 206 "http://127.0.0.1:$NGINX_PORT/big.mp4" -H "Range: $range"
  expect_status 206 "http://127.0.0.1:$PORT$path" -H "Range: $range" -H "Cookie: $cookie"
  # Byte ranges swing from run to run on a small machine: the two take turns
  # for several rounds, and each side's median round is shown.
  local round app_runs="" nginx_runs=""
  for round in $(seq "${BENCH_RANGE_ROUNDS:-3}"); do
    app_runs+="$(wrk_run_range "http://127.0.0.1:$PORT$path" "$range" "$cookie")"$'\n'
    nginx_runs+="$(wrk_run_range "http://127.0.0.1:$NGINX_PORT/big.mp4" "$range" "")"$'\n'
  done
  read -r app_rps app_p99 <<<"$(median_run "$app_runs")"
  read -r nginx_rps nginx_p99 <<<"$(median_run "$nginx_runs")"
  printf '| %s | `%s` | %s | %s | %s %% | %s | %s | %s |\n' "$name" "$range" "$app_rps" "$nginx_rps" \
    "$(awk -v a="$app_rps" -v b="$nginx_rps" 'BEGIN {printf "%.1f", b ? 100 * a / b : 0}')" \
    "$app_p99" "$nginx_p99" "$(( ${range#*-} - $(echo "$range" | sed 's/bytes=//; s/-.*//') + 1 ))"
}

median_run() { # lines of "requests/s p99" -> the line with the median requests/s
  printf '%s' "$1" | sed '/^$/d' | sort -n | awk '{line[NR]=$0} END {print line[int((NR + 1) / 2)]}'
}

wrk_run_range() { # url range [cookie] -> "requests/s p99"
  local header=(-H "Range: $2")
  [ -n "${3:-}" ] && header+=(-H "Cookie: $3")
  wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "${header[@]}" "$1" |
    awk '/Requests\/sec/ {rps=$2} $1=="99%" {p99=$2} END {printf "%d %s", rps, p99}'
}

start_server() { # database_url data_dir [NAME=value ...] -> sets SERVER, and READY_MS to the milliseconds until ready
  local start_ms url=$1 data=$2
  shift 2
  start_ms=$(date +%s%3N)
  env "$@" DATABASE_URL="$url" RUST_LOG=warn "$BIN" --data-dir "$data" --bind "127.0.0.1:$PORT" serve --demo &
  SERVER=$!
  local ready=""
  for _ in $(seq 1 1000); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && ready=1 && break; sleep 0.005; done
  [ -n "$ready" ] || { echo "the server was not ready within seconds" >&2; exit 1; }
  READY_MS=$(( $(date +%s%3N) - start_ms ))
}

run_backend() { # sqlite|postgres
  local backend=$1 data="$WORK/data-$1" url
  mkdir -p "$data"
  if [ "$backend" = postgres ]; then
    PG_DB="securebase_bench_$$"
    psql "$PG_ADMIN_URL" -qc "CREATE DATABASE $PG_DB" >/dev/null
    url="${PG_ADMIN_URL%/*}/$PG_DB"
  else
    url="sqlite://$data/securebase.db"
  fi
  start_server "$url" "$data"
  local ready_ms=$READY_MS
  sleep 2
  local idle_kib
  idle_kib=$(rss_kib "$SERVER")

  # Sam: three years of daily check-ins and 10 000 journal entries; Alex: the
  # same check-ins and 100 entries (for the flat-cost comparison).
  local sam alex slug tag deepest
  if [ "${BENCH_PAGES:-all}" = all ]; then
  python3 bench/seed.py "$url" sam@demo.securebase --years 3 --journal 10000
  python3 bench/seed.py "$url" alex@demo.securebase --years 3 --journal 100
  fi
  sam=$(sign_in sam@demo.securebase)
  alex=$(sign_in alex@demo.securebase)
  slug=$(curl -fs "http://127.0.0.1:$PORT/posts" | grep -o 'href="/posts/[a-z0-9-]*"' | head -1 | cut -d/ -f3 | tr -d '"')
  tag=$(curl -fs "http://127.0.0.1:$PORT/posts/$slug" | grep -o 'href="/tags/[a-z0-9-]*"' | head -1 | cut -d/ -f3 | tr -d '"')
  # The journal's deepest page: its oldest entries.
  deepest="/practice/journal?oldest=1"
  middle=""
  if [ "${BENCH_PAGES:-all}" = all ]; then
  # A page half-way back, reached by its position (as "Older entries" links are).
  middle="/practice/journal?before=$(sql_value "$url" "SELECT e.created_at || '.' || e.id FROM journal_entries e
    JOIN users u ON u.id = e.user_id WHERE u.email = 'sam@demo.securebase'
    ORDER BY e.created_at DESC, e.id DESC LIMIT 1 OFFSET 5000")"
  fi

  rm -f "$PEAK_FILE"
  sample_memory "$SERVER" &
  local sampler=$!
  [ "${BENCH_PAGES:-all}" = all ] && {
    printf '\n### %s\n\n' "$([ "$backend" = sqlite ] && echo SQLite || echo PostgreSQL)"
    printf 'Ready in %s ms; idle RSS %s KiB after `--demo`.\n\n' "$ready_ms" "$idle_kib"
    printf '| page | path | requests/s | nginx, same bytes | share of nginx | p99 | nginx p99 | bytes |\n'
    printf '|---|---|---|---|---|---|---|---|\n'
    n_page=0
    measure "visitor home" /
    measure "guide chapter" /guide/conflict
    measure "FAQ" /faq
    measure "resources" /resources
    measure "post" "/posts/$slug"
    measure "post list" /posts
    measure "tag" "/tags/$tag"
    measure "feed" /feed.xml
    measure "search" "/search?q=repair+conflict"
    measure "member home, 10 000 entries" / "$sam"
    measure "member home, 100 entries" / "$alex"
    measure "dashboard, a week" "/dashboard?range=week" "$sam"
    measure "dashboard, three months" /dashboard "$sam"
    measure "dashboard, a year" "/dashboard?range=year" "$sam"
    measure "dashboard, all (3 years)" "/dashboard?range=all" "$sam"
    measure "journal, 10 000 entries, first page" /practice/journal "$sam"
    measure "journal, 10 000 entries, the oldest page" "$deepest" "$sam"
    measure "journal, 10 000 entries, a page in the middle" "$middle" "$sam"
    measure "journal, 100 entries, first page" /practice/journal "$alex"
    measure "check-in: today" /know/checkins/today "$sam"
    measure "check-in: needs" /know/checkins/needs "$sam"
  } | tee -a "$WORK/table"
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  if [ "${BENCH_PAGES:-all}" = all ]; then
    printf '\nHighest RSS under this load: %s KiB.\n' "$(cat "$PEAK_FILE" 2>/dev/null || echo '?')" | tee -a "$WORK/table"
  fi
  # Library media: 1 MiB ranges of a 64 MiB recording, each checked for access,
  # against nginx serving the same file (sendfile) and the same ranges.
  local coach big
  coach=$(sign_in coach@demo.securebase)
  big=$(upload_big_recording "$coach")
  {
    printf '\nLibrary media on %s, 1 MiB ranges of a 64 MiB recording (Alex, a member with access; the median of %s alternating rounds each):\n\n' \
      "$([ "$backend" = postgres ] && echo PostgreSQL || echo SQLite)" "${BENCH_RANGE_ROUNDS:-3}"
    printf '| what | range | requests/s | nginx, same file and range | share of nginx | p99 | nginx p99 | bytes |\n'
    printf '|---|---|---|---|---|---|---|---|\n'
    measure_range "first MiB" "/library/$big/media" "bytes=0-1048575" "$alex"
    measure_range "a MiB in the middle" "/library/$big/media" "bytes=33554432-34603007" "$alex"
    measure_range "64 KiB in the middle" "/library/$big/media" "bytes=33554432-33619967" "$alex"
  } | tee -a "$WORK/table"
  kill "$SERVER" && wait "$SERVER" 2>/dev/null || true
  SERVER=""
  [ "${BENCH_PAGES:-all}" = all ] || return 0
  # Started again on the same data: the schema is current, the demo content there.
  start_server "$url" "$data"
  local restart_ms=$READY_MS
  kill "$SERVER" && wait "$SERVER" 2>/dev/null || true
  SERVER=""
  printf '\nStarted again on the same data (schema current, demo content in place): ready in %s ms.\n' "$restart_ms" \
    | tee -a "$WORK/table"
  # A member's page as a first look, or the first after a change, costs:
  # drawn afresh on every request.
  start_server "$url" "$data" SECUREBASE_MEMBER_CACHE_MS=0
  sam=$(sign_in sam@demo.securebase)
  alex=$(sign_in alex@demo.securebase)
  {
    printf '\nMember pages drawn afresh on every request (`member_cache_ms = 0`: the cost of a first look, or of the first after a change):\n\n'
    printf '| page | path | requests/s | nginx, same bytes | share of nginx | p99 | nginx p99 | bytes |\n'
    printf '|---|---|---|---|---|---|---|---|\n'
    measure "member home drawn afresh, 10 000 entries" / "$sam"
    measure "member home drawn afresh, 100 entries" / "$alex"
    measure "dashboard drawn afresh, a week" "/dashboard?range=week" "$sam"
    measure "dashboard drawn afresh, three months" /dashboard "$sam"
    measure "dashboard drawn afresh, a year" "/dashboard?range=year" "$sam"
    measure "dashboard drawn afresh, all (3 years)" "/dashboard?range=all" "$sam"
    measure "journal drawn afresh, 10 000 entries, first page" /practice/journal "$sam"
    measure "journal drawn afresh, 10 000 entries, the oldest page" "$deepest" "$sam"
    measure "journal drawn afresh, 100 entries, first page" /practice/journal "$alex"
    measure "check-in drawn afresh: today" /know/checkins/today "$sam"
  } | tee -a "$WORK/table"
  kill "$SERVER" && wait "$SERVER" 2>/dev/null || true
  SERVER=""
  # The same queries through sqlx's Any layer and through the native pool.
  printf '\nThe `Any` layer against the native pool (%s queries from 32 tasks each):\n\n' 4000 | tee -a "$WORK/table"
  target/release/examples/any_cost "$url" sam@demo.securebase | tee -a "$WORK/table"
}

for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$NGINX_PORT/" && break; sleep 0.05; done
for backend in $BACKENDS; do
  if [ "$backend" = postgres ] && ! psql "$PG_ADMIN_URL" -qc 'SELECT 1' >/dev/null 2>&1; then
    echo "PostgreSQL is not reachable at $PG_ADMIN_URL; skipping it" >&2
    continue
  fi
  run_backend "$backend"
done

{
  printf '\n## %s — %s, %s cores, %s\n\n' "$(date -u +%Y-%m-%d)" "$(uname -m)" "$(nproc)" \
    "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  printf 'wrk -t1 -c%s -d%s against a release build with `--demo`; nginx %s serving each page'"'"'s own bytes in the same run.\n' \
    "$CONNECTIONS" "$DURATION" "$(nginx -v 2>&1 | cut -d/ -f2)"
  cat "$WORK/table"
} >>bench/RESULTS.md
echo "appended to bench/RESULTS.md" >&2
