#!/usr/bin/env bash
# Load benchmark of ingest (issue 4): distinct seed-sized documents POSTed to /v1/filings by wrk
# at concurrency 8 against the release server, then requests per second and p50/p99 latency.
# Every request is a new filing (a line is appended so that the SHA-256 differs), all of one
# company, so they share its periods: the contended path. A 5 s warm-up at the same load comes
# first, then ANALYZE: on a database that was never analyzed (autovacuum first does it about a
# minute in) the planner has no statistics and reads are several times slower, which would
# measure the first minute of a fresh database rather than ingest.
#
#   benches/load/ingest.sh [SECONDS]          # default 20 seconds
#
# Database: with DATABASE_URL set, a scratch database `filings_ingest_bench` on that server
# (created, then dropped); unset, the embedded default in a temporary data directory.
# DOC overrides the document (default: the seed in ../shared, else the synthetic 10-Q fixture).
# Needs wrk (Debian: apt-get install -y wrk), curl and psql.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

DURATION=${1:-20}
PORT=${PORT:-18282}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-2}
BASE="http://127.0.0.1:$PORT"
DOC=${DOC:-../shared/seed/002_a20aa652e07729f8.txt}
[ -f "$DOC" ] || DOC=tests/fixtures/ingest/brackenridge-10q-2004-q2.txt
export DOC

for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "ingest.sh: $tool is not installed (apt-get install -y $tool)" >&2; exit 1; }
done

cargo build --release -q

DB=filings_ingest_bench
data_dir=$(mktemp -d)
chmod 755 "$data_dir"
if [ -n "${DATABASE_URL:-}" ]; then
  command -v psql >/dev/null || { echo "ingest.sh: psql is not installed" >&2; exit 1; }
  ADMIN_URL=$DATABASE_URL
  psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
  server_env=(DATABASE_URL="${ADMIN_URL%/*}/$DB")
  analyze_url="${ADMIN_URL%/*}/$DB"
  where="PostgreSQL at ${ADMIN_URL%%@*}@... (database $DB)"
else
  server_env=(-u DATABASE_URL FILINGS_DATA_DIR="$data_dir")
  # The embedded cluster's Unix socket is in its data directory.
  analyze_url="postgresql://postgres@/postgres?host=$data_dir/postgres"
  where="the embedded default cluster"
fi

env "${server_env[@]}" FILINGS_BIND="127.0.0.1:$PORT" FILINGS_RATE_LIMIT_PER_SEC=0 FILINGS_DB_POOL_SIZE="${POOL:-16}" \
  RUST_LOG=warn target/release/filings serve &
server=$!
cleanup() {
  kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  if [ -n "${DATABASE_URL:-}" ]; then
    psql -q "$DATABASE_URL" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
  fi
  rm -rf "$data_dir"
}
trap cleanup EXIT
for _ in $(seq 1 150); do
  curl -sf "$BASE/readyz" >/dev/null && break
  sleep 0.2
done
curl -sf "$BASE/readyz" >/dev/null || { echo "ingest.sh: the server did not become ready" >&2; exit 1; }

# One upload first: the document must be accepted (201).
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'content-type: text/plain' \
  --data-binary "@$DOC" "$BASE/v1/filings")
[ "$status" = 201 ] || { echo "ingest.sh: uploading $DOC gave HTTP $status" >&2; exit 1; }

wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s benches/load/ingest.lua "$BASE" >/dev/null
if command -v psql >/dev/null; then
  psql -q "$analyze_url" -c "ANALYZE" || echo "ingest.sh: ANALYZE failed; measuring without statistics" >&2
else
  echo "ingest.sh: psql not installed; measuring without statistics" >&2
fi
sleep 1   # wrk runs name their documents by the second they start

out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s benches/load/ingest.lua "$BASE")
echo "$out" >&2
rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
p50=$(awk '/^ +50%/ {print $2}' <<<"$out")
p99=$(awk '/^ +99%/ {print $2}' <<<"$out")
bad=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
# One `"format":` per listed filing.
stored=$(curl -sf "$BASE/v1/filings?limit=1000" | grep -o '"format":' | wc -l)
cat <<REPORT
ingest benchmark: $(wc -c <"$DOC") byte document ($DOC), $CONNECTIONS connections, ${DURATION} s, on $where
POST /v1/filings  ${rps} filings/s  p50 ${p50}  p99 ${p99}  non-2xx ${bad:-0}  (target: 300 filings/s)
filings stored, warm-up included (counted up to 1000): ${stored}
REPORT
