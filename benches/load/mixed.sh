#!/usr/bin/env bash
# Mixed load benchmark (issue 6): ingests and analytical reads at steady rates for 60 s against
# the release server, then throughput, p50/p99 latency, errors (there must be none) and the
# service's peak resident memory.
#
#   benches/load/mixed.sh [SECONDS]        # default 60
#
# INGEST_RATE (default 20 filings/s) and READ_RATE (default 400 requests/s) set the two rates.
# Every upload is a new filing of the seed's company (a line appended), so each one also
# invalidates that company's cached answers: the reads run on their uncached path about as
# often as new data arrives. Needs node and npm (autocannon is installed from the npm registry
# into benches/load/node_modules), curl, psql, and PostgreSQL at DATABASE_URL (default
# postgres://postgres@127.0.0.1:5432/postgres; a scratch database `filings_mixed_bench` is
# created there and dropped at the end). DOC overrides the document (default: the seed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

DURATION=${1:-60}
INGEST_RATE=${INGEST_RATE:-20}
READ_RATE=${READ_RATE:-400}
PORT=${PORT:-18383}
ADMIN_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
DB=filings_mixed_bench
DOC=${DOC:-../shared/seed/002_a20aa652e07729f8.txt}
BASE="http://127.0.0.1:$PORT"

for tool in node npm curl psql; do
  command -v "$tool" >/dev/null || { echo "mixed.sh: $tool is not installed" >&2; exit 1; }
done
[ -f "$DOC" ] || { echo "mixed.sh: no document at $DOC (set DOC=...)" >&2; exit 1; }
[ -d benches/load/node_modules/autocannon ] ||
  npm install --prefix benches/load --no-audit --no-fund --silent

cargo build --release -q
psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
DATABASE_URL="${ADMIN_URL%/*}/$DB" FILINGS_BIND="127.0.0.1:$PORT" FILINGS_RATE_LIMIT_PER_SEC=0 \
  FILINGS_DB_POOL_SIZE="${POOL:-16}" RUST_LOG=warn "${CARGO_TARGET_DIR:-target}/release/filings" serve &
server=$!
cleanup() {
  kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
}
trap cleanup EXIT
for _ in $(seq 1 100); do
  curl -sf "$BASE/readyz" >/dev/null && break
  sleep 0.2
done
curl -sf "$BASE/readyz" >/dev/null || { echo "mixed.sh: the server did not become ready" >&2; exit 1; }

status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'content-type: text/plain' \
  --data-binary "@$DOC" "$BASE/v1/filings")
[ "$status" = 201 ] || { echo "mixed.sh: uploading $DOC gave HTTP $status" >&2; exit 1; }
# A short warm-up at the same rates, then statistics for the planner (see ingest.sh).
BASE=$BASE DOC=$DOC DURATION=5 INGEST_RATE=$INGEST_RATE READ_RATE=$READ_RATE \
  node benches/load/mixed.js >/dev/null
psql -q "${ADMIN_URL%/*}/$DB" -c "ANALYZE"

kib() { awk -v key="$1:" '$1 == key { print $2 }' "/proc/$server/status"; }
rss_before=$(kib VmRSS)
max_rss=$rss_before
(
  while kill -0 "$server" 2>/dev/null; do
    kib VmRSS
    sleep 1
  done
) >"/tmp/mixed-rss-$$" &
sampler=$!
result=$(BASE=$BASE DOC=$DOC DURATION=$DURATION INGEST_RATE=$INGEST_RATE READ_RATE=$READ_RATE \
  node benches/load/mixed.js)
kill "$sampler" 2>/dev/null || true
max_rss=$(sort -n "/tmp/mixed-rss-$$" | tail -n 1)
rm -f "/tmp/mixed-rss-$$"
peak=$(kib VmHWM)
outcomes=$(curl -sf "$BASE/metrics" | grep '^filings_ingests_total' || true)

RESULT=$result python3 - "$DURATION" "$INGEST_RATE" "$READ_RATE" "$rss_before" "$max_rss" "$peak" <<'PY'
import json, os, sys
duration, ingest_rate, read_rate, before, during, peak = sys.argv[1:]
result = json.loads(os.environ["RESULT"])
print(f"mixed load: {duration} s, ingest asked {ingest_rate}/s, reads asked {read_rate}/s")
print("| stream | asked/s | got/s | p50 ms | p99 ms | max ms | errors | non-2xx |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
for name, asked in (("ingest", ingest_rate), ("reads", read_rate)):
    s = result[name]
    print(f"| {name} | {asked} | {s['per_second']:.1f} | {s['p50_ms']} | {s['p99_ms']} | {s['max_ms']} "
          f"| {s['errors'] + s['timeouts']} | {s['non_2xx']} |")
print(f"service memory: resident {int(before) // 1024} MiB before, at most {int(during) // 1024} MiB "
      f"during (sampled each second), peak {int(peak) // 1024} MiB (VmHWM, start-up included)")
bad = sum(result[n]["errors"] + result[n]["timeouts"] + result[n]["non_2xx"] for n in ("ingest", "reads"))
sys.exit(1 if bad else 0)
PY
echo "$outcomes"
