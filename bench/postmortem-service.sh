#!/usr/bin/env bash
# Benchmark: postmortems opened per second from toban.incident.resolved events, end to end
# (RabbitMQ -> consumer with inbox -> PostgreSQL -> outbox relay -> RabbitMQ), as a ratio against a
# pgbench baseline measured in the same run on the same PostgreSQL (one client running a
# transaction of comparable shape: two inserts and an update).
#
#   bench/postmortem-service.sh [events]      (default 2000)
#
# Needs the backing services (bin/toban stack) and uses postmortem-service's TEST database and
# RabbitMQ vhost (toban_postmortem_test, toban_test_postmortem), which it empties: do not run it while
# the module's tests run. It packages the service (no install) and starts it on a free port.
set -euo pipefail
JVM_OPTIONS="${JVM_OPTIONS:-$("$(dirname "$0")"/../bin/toban jvm-options)}" # bin/jvm.options, as bin/toban up; or as given
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/.mvn/jdk.sh"
EVENTS="${1:-2000}"
DB=toban_postmortem_test
VHOST=toban_test_postmortem
set -a; . "$ROOT/.toban/secrets.env"; set +a
export PGPASSWORD="$TOBAN_DB_PASSWORD"

echo "== packaging postmortem-service"
(cd "$ROOT" && ./mvnw -B -q -pl postmortem-service -am package -DskipTests)

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
LOG="$(mktemp /tmp/postmortem-bench.XXXXXX.log)"
echo "== starting postmortem-service on :$PORT (log $LOG)"
MPORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
(cd "$ROOT/postmortem-service" && exec env QUARKUS_HTTP_PORT="$PORT" QUARKUS_MANAGEMENT_PORT="$MPORT" DB_NAME="$DB" RABBITMQ_VHOST="$VHOST" \
  QUARKUS_FLYWAY_CLEAN_DISABLED=false QUARKUS_FLYWAY_CLEAN_AT_START=true TOBAN_MAIL_MOCK=true \
  ONCALL_URL=http://127.0.0.1:9 INCIDENT_URL=http://127.0.0.1:9 TOBAN_POSTMORTEM_JOBS_TIMELINE_EVERY=1h \
  TOBAN_POSTMORTEM_JOBS_REMINDERS_EVERY=1h QUARKUS_LOG_LEVEL=WARN \
  "$JAVA_HOME/bin/java" $JVM_OPTIONS -jar target/quarkus-app/quarkus-run.jar) >"$LOG" 2>&1 &
SERVICE=$!
trap 'kill "$SERVICE" 2>/dev/null || true; wait "$SERVICE" 2>/dev/null || true' EXIT
for _ in $(seq 1 180); do
  curl -fsS -o /dev/null "http://localhost:$MPORT/q/health/ready" 2>/dev/null && break
  kill -0 "$SERVICE" 2>/dev/null || { cat "$LOG"; echo "postmortem-service exited" >&2; exit 1; }
  sleep 1
done

echo "== baseline: pgbench, 1 client, 20 s"
psql -q -h 127.0.0.1 -U toban_postmortem -d "$DB" <<'SQL'
drop table if exists bench_baseline_row, bench_baseline_log;
create table bench_baseline_row (id bigserial primary key, payload text not null, n integer not null default 0);
create table bench_baseline_log (seq bigserial primary key, row_id bigint not null, body text not null);
SQL
SCRIPT="$(mktemp /tmp/postmortem-bench.XXXXXX.sql)"
cat >"$SCRIPT" <<'SQL'
begin;
insert into bench_baseline_row (payload) values (repeat('x', 2000)) returning id \gset
insert into bench_baseline_log (row_id, body) values (:id, repeat('y', 2500));
update bench_baseline_row set n = n + 1 where id = :id;
commit;
SQL
BASE="$(pgbench -n -h 127.0.0.1 -U toban_postmortem -c 1 -T 20 -f "$SCRIPT" "$DB" 2>/dev/null \
  | sed -n 's/^tps = \([0-9.]*\).*/\1/p')"
psql -q -h 127.0.0.1 -U toban_postmortem -d "$DB" -c "drop table bench_baseline_row, bench_baseline_log;"
rm -f "$SCRIPT"

echo "== warm-up: 200 events"
AMQP="$(ls ~/.m2/repository/com/rabbitmq/amqp-client/*/amqp-client-*.jar | sort -V | tail -n 1)"
SLF4J="$(ls ~/.m2/repository/org/slf4j/slf4j-api/2.*/slf4j-api-2.*.jar | sort -V | tail -n 1)"
"$JAVA_HOME/bin/java" -cp "$AMQP:$SLF4J" "$ROOT/bench/PostmortemServiceBench.java" "$VHOST" 200 >/dev/null 2>&1
echo "== measured: $EVENTS events"
RESULT="$("$JAVA_HOME/bin/java" -cp "$AMQP:$SLF4J" "$ROOT/bench/PostmortemServiceBench.java" "$VHOST" "$EVENTS" 2>/dev/null)"
OPENED="$(sed -n 's/.*opened_per_s=\([0-9.]*\).*/\1/p' <<<"$RESULT")"
echo "$RESULT"
echo "pgbench_tps=$BASE"
python3 -c "print('ratio opened_per_s / pgbench_tps = %.3f' % ($OPENED / $BASE))"
