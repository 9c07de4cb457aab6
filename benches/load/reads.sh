#!/usr/bin/env bash
# Load benchmark of the analytical reads (issue 5): the statements endpoint for one company and
# one period against GET /readyz (one `SELECT 1`), in the same run, on a release server with the
# seed filing ingested. Prints requests per second and latency percentiles of each, then the p99
# of the statements endpoint at a fixed rate of half the readyz rate.
#
#   benches/load/reads.sh [SECONDS]          # default 10 seconds per measurement
#
# Needs: wrk and hey (Debian: apt-get install -y wrk hey), curl, python3, psql, and PostgreSQL at
# DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres: a scratch database
# `filings_reads_bench` is created there and dropped at the end). SEED overrides the seed path.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

SECONDS_EACH=${1:-10}
SEED=${SEED:-../shared/seed/002_a20aa652e07729f8.txt}
ADMIN_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
PORT=${PORT:-18181}
CONNECTIONS=${CONNECTIONS:-8}
DB=filings_reads_bench
DB_URL="${ADMIN_URL%/*}/$DB"
BASE="http://127.0.0.1:$PORT"

for tool in wrk hey curl python3 psql; do
  command -v "$tool" >/dev/null || { echo "reads.sh: $tool is not installed" >&2; exit 1; }
done
[ -f "$SEED" ] || { echo "reads.sh: no seed at $SEED (set SEED=...)" >&2; exit 1; }

cargo build --release -q
psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"

DATABASE_URL="$DB_URL" FILINGS_BIND="127.0.0.1:$PORT" FILINGS_RATE_LIMIT_PER_SEC=0 RUST_LOG=warn \
  "${CARGO_TARGET_DIR:-target}/release/filings" serve &
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
curl -sf "$BASE/readyz" >/dev/null || { echo "reads.sh: the server did not become ready" >&2; exit 1; }

# The seed, through the API (201 new, 200 when already there).
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'content-type: text/plain' \
  --data-binary "@$SEED" "$BASE/v1/filings")
case "$status" in
  200|201) ;;
  *) echo "reads.sh: uploading the seed gave HTTP $status" >&2; exit 1 ;;
esac
company=$(curl -sf "$BASE/v1/companies?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
STATEMENT="$BASE/v1/companies/$company/statements/income_statement?period=3M-2003-06-30"
curl -sf "$STATEMENT" >/dev/null

# wrk: req/s and the latency distribution at full speed.
run_wrk() {
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency "$1" \
    | awk '/Requests\/sec/ {rps=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} /Non-2xx/ {bad=$NF}
           END {printf "%s %s %s %s\n", rps, p50, p99, (bad == "" ? 0 : bad)}'
}
wrk -t2 -c"$CONNECTIONS" -d2s "$STATEMENT" >/dev/null   # warm up
read -r ready_rps ready_p50 ready_p99 ready_bad < <(run_wrk "$BASE/readyz")
read -r stmt_rps stmt_p50 stmt_p99 stmt_bad < <(run_wrk "$STATEMENT")

# hey: the statements endpoint at half the readyz rate (8 workers, each rate-limited).
half=$(python3 -c "print(int(float('$ready_rps') / 2))")
per_worker=$(python3 -c "print(max(1, int($half / 8)))")
fixed=$(hey -z "${SECONDS_EACH}s" -c 8 -q "$per_worker" "$STATEMENT")
fixed_rps=$(awk '/Requests\/sec/ {print $2}' <<<"$fixed")
fixed_p50=$(awk '/50% in/ {print $3 * 1000 " ms"}' <<<"$fixed")
fixed_p99=$(awk '/99% in/ {print $3 * 1000 " ms"}' <<<"$fixed")
fixed_bad=$(awk '/Status code distribution/ {on=1; next} on && /\[/ && $1 != "[200]" {n += $2} END {print n + 0}' <<<"$fixed")

ratio=$(python3 -c "print(f'{float(\"$stmt_rps\") / float(\"$ready_rps\") * 100:.0f}')")
cat <<REPORT
GET /readyz                       ${ready_rps} req/s  p50 ${ready_p50}  p99 ${ready_p99}  non-2xx ${ready_bad}
GET statements (one period)       ${stmt_rps} req/s  p50 ${stmt_p50}  p99 ${stmt_p99}  non-2xx ${stmt_bad}
statements / readyz               ${ratio}% (target >= 60%)
statements at ${half} req/s (half readyz): got ${fixed_rps} req/s  p50 ${fixed_p50}  p99 ${fixed_p99}  non-200 ${fixed_bad} (target p99 < 5 ms)
REPORT
