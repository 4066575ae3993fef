#!/usr/bin/env bash
# oncall-service benchmark: GET /api/oncall/now over 1,000 schedules x 3 layers with a year of
# overrides, and the engine's rendering of one schedule-year; pgbench select-only on the same
# PostgreSQL is the baseline of the same run. Figures go to docs/performance.md.
#
#   bench/oncall.sh            (env: BENCH_PORT=18081 BENCH_REQUESTS=3000 BENCH_CONCURRENCY=1)
#
# Needs the local stack (bin/toban stack): PostgreSQL, Keycloak. Runs as root (creates the bench
# databases as the postgres user). Starts the packaged service on BENCH_PORT against
# toban_oncall_bench with the outbox relay off (no bench events reach RabbitMQ) and stops it after.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
. "$ROOT/.mvn/jdk.sh"
JAVA="$JAVA_HOME/bin/java"
set -a
. "$ROOT/.toban/secrets.env"
set +a
PORT="${BENCH_PORT:-18081}"
MPORT="${BENCH_MANAGEMENT_PORT:-19081}"
REQUESTS="${BENCH_REQUESTS:-3000}"
CONCURRENCY="${BENCH_CONCURRENCY:-1}"
DB=toban_oncall_bench
PGBENCH_DB=toban_oncall_pgbench
LOG="$ROOT/.toban/logs/oncall-bench.log"
mkdir -p "$(dirname "$LOG")"

say() { printf '\033[1;34m[bench]\033[0m %s\n' "$*" >&2; }
psql_admin() { (cd /tmp && runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtA "$@"); }

for db in "$DB" "$PGBENCH_DB"; do
  if [ "$(psql_admin -d postgres -c "select 1 from pg_database where datname = '$db'")" != 1 ]; then
    say "creating database $db"
    psql_admin -d postgres -c "create database $db owner toban_oncall" >/dev/null
  fi
done

say "packaging oncall-service"
./mvnw -B -q -pl oncall-service -am package -DskipTests

say "starting oncall-service on :$PORT against $DB"
DB_NAME="$DB" QUARKUS_HTTP_PORT="$PORT" QUARKUS_MANAGEMENT_PORT="$MPORT" TOBAN_DEMO_ENABLED=false TOBAN_EVENTS_OUTBOX_RELAY_ENABLED=false \
  "$JAVA" -Xmx1g -jar oncall-service/target/quarkus-app/quarkus-run.jar >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "http://localhost:$MPORT/q/health/live" 2>/dev/null && break
  kill -0 $PID 2>/dev/null || { tail -50 "$LOG" >&2; exit 1; }
  sleep 1
done

schedules="$(psql_admin -d "$DB" -c "select count(*) from schedule")"
overrides="$(psql_admin -d "$DB" -c "select count(*) from schedule_override")"
if [ "$schedules" != 1000 ] || [ "$overrides" != 52000 ]; then
  say "loading 1,000 schedules x 3 layers and 52,000 overrides"
  psql_admin -d "$DB" -f "$ROOT/bench/oncall-data.sql" >/dev/null
else
  psql_admin -d "$DB" -c "update config_version set version = version + 1 where id = 1" >/dev/null
fi

TOKEN="$(curl -fsS "${KEYCLOAK_URL:-http://localhost:8180}/realms/toban/protocol/openid-connect/token" \
  -d grant_type=password -d client_id=toban-cli -d username=admin -d "password=$TOBAN_DEMO_PASSWORD" \
  | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')"
[ -n "$TOKEN" ] || { echo "no token from Keycloak" >&2; exit 1; }

CP="oncall-service/target/classes:oncall-service/target/test-classes"
now_once() { curl -fsS -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "http://localhost:$PORT/api/oncall/now" \
  | awk '{ printf "%.1f", $1 * 1000 }'; }
for _ in 1 2 3 4 5 6 7 8 9 10; do now_once >/dev/null; done
# what a change costs: every answer is recomputed (and, for a configuration change, the snapshot reloaded)
psql_admin -d "$DB" -c "update config_version set version = version + 1 where id = 1" >/dev/null
echo "after_config_change_ms=$(now_once)"
psql_admin -d "$DB" -c "update config_version set override_version = override_version + 1 where id = 1" >/dev/null
echo "after_override_change_ms=$(now_once)"
say "GET /api/oncall/now: 300 warm-up requests, then $REQUESTS timed ($CONCURRENCY client(s))"
NOW="$("$JAVA" -cp "$CP" dev.toban.oncall.bench.NowLoadGenerator "http://localhost:$PORT/api/oncall/now" "$TOKEN" 300 "$REQUESTS" "$CONCURRENCY")"
echo "$NOW"
# server-side time from the service's own metrics (excludes the client and the transfer)
METRICS="$(curl -fsS "http://localhost:$MPORT/q/metrics")"
SERVER_MEAN="$(awk '/^http_server_requests_seconds_(count|sum)\{.*uri="\/api\/oncall\/now"/ {
  if ($1 ~ /_count/) c += $2; else s += $2 } END { if (c > 0) printf "%.2f", s / c * 1000 }' <<<"$METRICS")"
SERVER_MAX="$(awk '/^http_server_requests_seconds_max\{.*uri="\/api\/oncall\/now"/ { printf "%.2f", $2 * 1000 }' <<<"$METRICS")"
echo "server_mean_ms=$SERVER_MEAN"
echo "server_max_ms=$SERVER_MAX"
AT="$("$JAVA" -cp "$CP" dev.toban.oncall.bench.NowLoadGenerator "http://localhost:$PORT/api/oncall/now?at=$(date -u -d '+90 days' +%Y-%m-%dT%H:%M:%SZ)" "$TOKEN" 50 500 1 | sed 's/^/at_/')"
echo "$AT"
say "rendering one schedule-year (engine only)"
RENDER="$("$JAVA" -cp "$CP" dev.toban.oncall.bench.RenderBenchmark 500)"
echo "$RENDER"

say "baseline: pgbench select-only on the same PostgreSQL (1 client, 15 s)"
(cd /tmp && runuser -u postgres -- pgbench -q -i -s 10 "$PGBENCH_DB" >/dev/null 2>&1)
PG="$(cd /tmp && runuser -u postgres -- pgbench -S -c 1 -j 1 -T 15 "$PGBENCH_DB" 2>/dev/null)"
PG_LAT="$(sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' <<<"$PG")"
PG_TPS="$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$PG")"
echo "pgbench_latency_ms=$PG_LAT"
echo "pgbench_tps=$PG_TPS"

echo "load_average=$(cut -d' ' -f1-3 /proc/loadavg) cpus=$(nproc)"
get() { sed -n "s/^$1=//p" <<<"$2"; }
P50="$(get p50_ms "$NOW")"; P99="$(get p99_ms "$NOW")"; RPS="$(get throughput_rps "$NOW")"
R99="$(get render_p99_ms "$RENDER")"
awk -v p50="$P50" -v p99="$P99" -v rps="$RPS" -v r99="$R99" -v lat="$PG_LAT" -v tps="$PG_TPS" 'BEGIN {
  printf "\n== oncall-service benchmark ==\n"
  printf "GET /api/oncall/now   p50 %.2f ms, p99 %.2f ms (target < 20 ms): %s\n", p50, p99, (p99 < 20 ? "PASS" : "FAIL")
  printf "render schedule-year  p99 %.3f ms (target < 10 ms): %s\n", r99, (r99 < 10 ? "PASS" : "FAIL")
  printf "ratios to pgbench select-only (%.3f ms, %.0f tps):\n", lat, tps
  printf "  now p50 / pgbench latency    = %.1f\n", p50 / lat
  printf "  now p99 / pgbench latency    = %.1f\n", p99 / lat
  printf "  render p99 / pgbench latency = %.1f\n", r99 / lat
  printf "  now throughput / pgbench tps = %.4f\n", rps / tps
}'
