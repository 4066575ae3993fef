#!/usr/bin/env bash
# incident-service: Events API v2 ingestion benchmark, reported against pgbench on the same PostgreSQL.
#
#   bench/incident-ingest.sh            build, run, print the figures
#
# Settings (environment): BENCH_SECONDS (20) per phase, BENCH_CONCURRENCY (32) for the closed loop,
# BENCH_RATE (2000) events/s for the fixed-rate phase, BENCH_PAGES (200) single triggers timed to the
# broker, BENCH_PORT (18082), BENCH_SKIP_BUILD=1 to reuse incident-service/target/quarkus-app.
#
# It starts the packaged incident-service against its own database (toban_incident_bench, emptied by
# Flyway at start) and RabbitMQ vhost (toban_bench_incident), creates 10 services with one Events API
# v2 key each through the admin API, and drives triggers spread over 100 dedup keys and those 10
# routing keys. The per-key rate limit is raised for the run (TOBAN_INCIDENT_INGEST_RATE_LIMIT_*).
# Creating the bench's services needs an oncall-service that confirms their team (the demo's): start one and pass
# BENCH_ONCALL_URL=http://localhost:8081; without it the service creation is refused (503). JVM_OPTIONS overrides
# bin/jvm.options for a comparison.
# The relay publishes at once (no wait for notify's and postmortem's queues, which this vhost never gets), so the
# single triggers are timed to the broker.
# The script does not start oncall-service itself: the IC lookup after each new incident takes the documented fallback,
# a cached answer for the bench policy that the script stores first.
# Needs the local stack (bin/toban stack): PostgreSQL, RabbitMQ, Keycloak and .toban/secrets.env.
set -euo pipefail
JVM_OPTIONS="${JVM_OPTIONS:-$("$(dirname "$0")"/../bin/toban jvm-options)}" # bin/jvm.options, as bin/toban up; or as given

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=../.mvn/jdk.sh
. "$ROOT/.mvn/jdk.sh"
[ -f .toban/secrets.env ] || { echo "no .toban/secrets.env: run bin/toban stack first" >&2; exit 1; }
set -a
# shellcheck disable=SC1091
. .toban/secrets.env
set +a

SECONDS_PER_PHASE="${BENCH_SECONDS:-20}"
CONCURRENCY="${BENCH_CONCURRENCY:-32}"
RATE="${BENCH_RATE:-2000}"
PAGES="${BENCH_PAGES:-200}"
PORT="${BENCH_PORT:-18082}"
MPORT="${BENCH_MANAGEMENT_PORT:-19082}"
DB=toban_incident_bench
VHOST=toban_bench_incident
WORK="$ROOT/incident-service/target/bench"
mkdir -p "$WORK"
log() { printf '[bench] %s\n' "$*" >&2; }

psql_admin() {
  if [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1; then
    (cd /tmp && runuser -u postgres -- psql -v ON_ERROR_STOP=1 -d postgres "$@")
  else
    psql -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d postgres "$@"
  fi
}
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  log "packaging incident-service"
  ./mvnw -q -B -pl incident-service -am package -DskipTests -DskipITs
fi

if [ "$(psql_admin -tAc "select 1 from pg_database where datname = '$DB'")" != 1 ]; then
  log "creating database $DB"
  psql_admin -q -c "create database $DB owner toban_incident" >/dev/null
fi
if ! as_root rabbitmqctl -q list_vhosts name 2>/dev/null | grep -qx "$VHOST"; then
  log "creating RabbitMQ vhost $VHOST"
  as_root rabbitmqctl -q add_vhost "$VHOST" >/dev/null
fi
as_root rabbitmqctl -q set_permissions -p "$VHOST" guest '.*' '.*' '.*' >/dev/null

log "starting incident-service on :$PORT"
(cd incident-service && exec env DB_NAME="$DB" RABBITMQ_VHOST="$VHOST" \
  QUARKUS_FLYWAY_CLEAN_DISABLED=false QUARKUS_FLYWAY_CLEAN_AT_START=true \
  QUARKUS_HTTP_PORT="$PORT" QUARKUS_MANAGEMENT_PORT="$MPORT" TOBAN_DEMO_ENABLED=false ONCALL_URL="${BENCH_ONCALL_URL:-http://127.0.0.1:1}" \
  TOBAN_INCIDENT_INGEST_RATE_LIMIT_EVENTS_PER_MINUTE=100000000 TOBAN_INCIDENT_INGEST_RATE_LIMIT_BURST=1000000 \
  QUARKUS_LOG_LEVEL=WARN TOBAN_EVENTS_OUTBOX_AWAIT_QUEUES_TIMEOUT=0s \
  "$JAVA_HOME/bin/java" $JVM_OPTIONS -jar target/quarkus-app/quarkus-run.jar) >"$WORK/service.log" 2>&1 &
SERVICE_PID=$!
trap 'kill "$SERVICE_PID" 2>/dev/null || true; wait "$SERVICE_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "http://localhost:$MPORT/q/health/ready" 2>/dev/null && break
  kill -0 "$SERVICE_PID" 2>/dev/null || { cat "$WORK/service.log" >&2; exit 1; }
  sleep 1
done
curl -fsS -o /dev/null "http://localhost:$MPORT/q/health/ready"

TOKEN="$(curl -fsS "${KEYCLOAK_URL:-http://localhost:8180}/realms/toban/protocol/openid-connect/token" \
  -d grant_type=password -d client_id=toban-cli -d username=admin --data-urlencode "password=$TOBAN_DEMO_PASSWORD" \
  | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')"
[ -n "$TOKEN" ] || { echo "no admin token from Keycloak" >&2; exit 1; }
: >"$WORK/keys.txt"
for i in $(seq 1 10); do
  id="$(curl -fsS -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"name\":\"Bench $i\",\"owningTeamId\":\"11111111-0000-4000-8000-000000000001\",\"escalationPolicyId\":\"22222222-0000-4000-8000-000000000001\"}" \
    "http://localhost:$PORT/api/services" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')"
  key="$(curl -fsS -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d '{"name":"bench","type":"events_v2"}' "http://localhost:$PORT/api/services/$id/integration-keys" \
    | sed -n 's/.*"key":"\([a-z0-9]\{32\}\)".*/\1/p')"
  echo "$key" >>"$WORK/keys.txt"
done
[ "$(wc -l <"$WORK/keys.txt")" -eq 10 ] || { echo "could not create 10 integration keys" >&2; exit 1; }
# oncall-service is not running: give the IC lookup's fallback an earlier answer for the bench policy
# (level 1: one person, next level after 15 minutes), so each new incident gets its IC from the cache
# and is paged, as with oncall-service answering, instead of retrying the lookup in the background.
PGPASSWORD="$TOBAN_DB_PASSWORD" psql -q -h 127.0.0.1 -U toban_incident -d "$DB" -c "insert into policy_targets_cache
  (policy_id, level, answer, fetched_at) values ('22222222-0000-4000-8000-000000000001', 1, '{\"policyId\":
  \"22222222-0000-4000-8000-000000000001\",\"policyName\":\"Bench\",\"level\":1,\"levels\":2,\"repeatCount\":0,
  \"delayMinutes\":15,\"targets\":[],\"people\":[{\"id\":\"44444444-0000-4000-8000-000000000001\",
  \"name\":\"Hanako Sato\",\"username\":\"sato\",\"locale\":\"ja\"}]}', now())
  on conflict (policy_id, level) do update set answer = excluded.answer, fetched_at = now()"

# Maximum throughput: wrk when installed (apt install wrk; its C event loop leaves the CPU to the
# service), otherwise the Java load generator's closed loop. Both first warm up for 5 s.
CLOSED=true
if command -v wrk >/dev/null 2>&1; then
  CLOSED=false
  KEYS="$(paste -sd, "$WORK/keys.txt")"
  cat >"$WORK/ingest.lua" <<LUA
local keys = {}
for k in string.gmatch("$KEYS", "[^,]+") do keys[#keys + 1] = k end
local bodies = {}
for d = 0, 99 do
  bodies[d] = '{"routing_key":"' .. keys[(d % #keys) + 1] .. '","event_action":"trigger","dedup_key":"wrk-' .. d
    .. '","payload":{"summary":"Bench alert ' .. d .. '","source":"bench-host","severity":"error","component":"api"},"client":"bench"}'
end
local n = 0
request = function()
  n = n + 1
  return wrk.format("POST", "/v2/enqueue", {["Content-Type"] = "application/json"}, bodies[n % 100])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT max_events_per_s=%.0f max_p50_ms=%.2f max_p99_ms=%.2f max_errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
  log "warm-up 5 s, then maximum throughput with wrk: $CONCURRENCY connections for ${SECONDS_PER_PHASE} s"
  wrk -t2 -c"$CONCURRENCY" -d5s -s "$WORK/ingest.lua" "http://localhost:$PORT" >/dev/null
  wrk -t2 -c"$CONCURRENCY" -d"${SECONDS_PER_PHASE}s" -s "$WORK/ingest.lua" "http://localhost:$PORT" | tee "$WORK/wrk.txt"
fi
if [ "$CLOSED" = false ]; then
  # Fixed rate with wrk: every connection waits so that together they send $RATE events/s. A stalled
  # connection sends nothing meanwhile (closed loop), so the latencies are also checked below by the
  # Java generator's open loop when BENCH_OPEN_LOOP=1 (its JDK HTTP client adds its own tail).
  DELAY_MS=$(( CONCURRENCY * 1000 / RATE - 1 ))
  [ "$DELAY_MS" -ge 1 ] || DELAY_MS=1
  sed -e "s/^request = function()/delay = function() return $DELAY_MS end\nrequest = function()/" \
      -e 's/RESULT max_events_per_s=%.0f max_p50_ms=%.2f max_p99_ms=%.2f max_errors=%d/RESULT rate_achieved=%.0f rate_p50_ms=%.2f rate_p99_ms=%.2f rate_errors=%d/' \
      "$WORK/ingest.lua" >"$WORK/paced.lua"
  log "fixed rate with wrk: $CONCURRENCY connections, one event each every ${DELAY_MS} ms plus its answer, ${SECONDS_PER_PHASE} s"
  wrk -t2 -c"$CONCURRENCY" -d"${SECONDS_PER_PHASE}s" -s "$WORK/paced.lua" "http://localhost:$PORT" | tee "$WORK/paced.txt"
fi
OPEN_RATE=0
[ "$CLOSED" = true ] || [ "${BENCH_OPEN_LOOP:-0}" = 1 ] && OPEN_RATE="$RATE"
log "$([ "$OPEN_RATE" -gt 0 ] && echo "open loop at $RATE/s for ${SECONDS_PER_PHASE} s, then ")$PAGES single triggers timed to the broker"
"$JAVA_HOME/bin/java" -cp "incident-service/target/quarkus-app/lib/main/*" bench/incident-ingest-load.java \
  --url "http://localhost:$PORT" --keys "$WORK/keys.txt" --seconds "$SECONDS_PER_PHASE" --closed-loop "$CLOSED" \
  --concurrency "$CONCURRENCY" --rate "$OPEN_RATE" --pages "$PAGES" --vhost "$VHOST" 2>"$WORK/load.err" \
  | tee "$WORK/load.txt" || { cat "$WORK/load.err" >&2; exit 1; }
if [ "$CLOSED" = false ]; then
  grep '^RESULT' "$WORK/wrk.txt" >>"$WORK/load.txt"
  if [ "$OPEN_RATE" -gt 0 ]; then
    sed -i 's/^RESULT rate_/RESULT open_rate_/; s/ rate_/ open_rate_/g' "$WORK/load.txt"
  fi
  grep '^RESULT' "$WORK/paced.txt" >>"$WORK/load.txt"
fi
# the service must have stayed healthy and written no error
ERRORS="$(grep -c ' ERROR ' "$WORK/service.log" || true)"

kill "$SERVICE_PID" 2>/dev/null || true
wait "$SERVICE_PID" 2>/dev/null || true
trap - EXIT

log "baseline: pgbench, one-row insert per transaction, same PostgreSQL, $CONCURRENCY clients, ${SECONDS_PER_PHASE} s"
PGPASSWORD="$TOBAN_DB_PASSWORD" psql -q -h 127.0.0.1 -U toban_incident -d "$DB" \
  -c "create table if not exists pgbench_one_row (id bigserial primary key, payload text not null, created_at timestamptz not null default now())" \
  -c "truncate pgbench_one_row"
echo "insert into pgbench_one_row (payload) values ('bench event');" >"$WORK/one-row.sql"
PGPASSWORD="$TOBAN_DB_PASSWORD" pgbench -n -h 127.0.0.1 -U toban_incident -c "$CONCURRENCY" -j 2 \
  -T "$SECONDS_PER_PHASE" -f "$WORK/one-row.sql" "$DB" | tee "$WORK/pgbench.txt"
PGBENCH_TPS="$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$WORK/pgbench.txt" | head -n 1)"

LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
value() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" "$WORK/load.txt" | head -n 1; }
MAX="$(value max_events_per_s)"
awk -v max="$MAX" -v pg="$PGBENCH_TPS" -v rate="$RATE" -v achieved="$(value rate_achieved)" \
    -v p50="$(value rate_p50_ms)" -v p99="$(value rate_p99_ms)" -v errs="$(value rate_errors)" \
    -v mp50="$(value max_p50_ms)" -v mp99="$(value max_p99_ms)" -v merrs="$(value max_errors)" \
    -v pp50="$(value page_p50_ms)" -v pp99="$(value page_p99_ms)" -v pmiss="$(value page_missing)" \
    -v op50="$(value open_rate_p50_ms)" -v op99="$(value open_rate_p99_ms)" -v oach="$(value open_rate_achieved)" \
    -v oerrs="$(value open_rate_errors)" -v logerrs="$ERRORS" -v machineload="$LOAD" -v cpus="$(nproc)" 'BEGIN {
  printf "\nincident-service Events API v2 ingestion (100 dedup keys, 10 routing keys)\n"
  printf "  maximum throughput       %8.0f events/s   p50 %6.2f ms  p99 %6.2f ms  (non-202: %d)\n", max, mp50, mp99, merrs
  printf "  at %5d events/s         %8.0f achieved   p50 %6.2f ms  p99 %6.2f ms  (non-202: %d)\n", rate, achieved, p50, p99, errs
  if (op99 != "") printf "  open loop at %5d/s       %8.0f achieved   p50 %6.2f ms  p99 %6.2f ms  (failed or dropped: %d)\n", rate, oach, op50, op99, oerrs
  printf "  pgbench one-row insert   %8.0f tps\n", pg
  printf "  ratio max / pgbench      %8.2f\n", max / pg
  printf "  single trigger to toban.incident.triggered on the broker: p50 %.1f ms  p99 %.1f ms  (missing: %d)\n", pp50, pp99, pmiss
  printf "  ERROR lines in the service log: %d\n", logerrs
  printf "  machine: %d CPUs, load average after the run %s (service, load generator and PostgreSQL share them)\n", cpus, machineload
  ok = (max >= 2000 && p99 < 50 && max / pg >= 0.5 && errs == 0)
  printf "  targets (>= 2000 events/s, p99 < 50 ms at %d/s, >= 0.5 x pgbench): %s\n", rate, ok ? "MET" : "NOT MET"
}'
