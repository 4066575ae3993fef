#!/usr/bin/env bash
# notify-service benchmark: time from a toban.incident.triggered event on the broker to the incident's
# Slack parent message arriving at a fake Slack, with pacing off, p50/p99 over 200 incidents; beside
# a baseline measured in the same run: the broker round trip of a bare publish -> consume.
#
#   bench/notify.sh                 after a warm-up of 200: 200 incidents, one every 100 ms, over 10 Slack
#                                   channels, then 200 at once
#   COUNT=500 INTERVAL_MS=20 bench/notify.sh
#
# It packages notify-service, creates a throw-away database (toban_notify_bench) and RabbitMQ vhost
# (toban_bench_notify), starts the fake Slack from the test sources and the packaged service, and stops
# both when done. The incident-service leg (Events API -> triggered event) is added at integration.
set -euo pipefail
JVM_OPTIONS="${JVM_OPTIONS:-$("$(dirname "$0")"/../bin/toban jvm-options)}" # bin/jvm.options, as bin/toban up; or as given

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=../.mvn/jdk.sh
. "$ROOT/.mvn/jdk.sh"
JAVA="$JAVA_HOME/bin/java"
SECRETS="$ROOT/.toban/secrets.env"
[ -f "$SECRETS" ] || { echo "run bin/toban stack first (no .toban/secrets.env)" >&2; exit 1; }
set -a
# shellcheck disable=SC1090
. "$SECRETS"
set +a

COUNT="${COUNT:-200}"
INTERVAL_MS="${INTERVAL_MS:-100}"
CHANNELS="${CHANNELS:-10}"
DB=toban_notify_bench
VHOST=toban_bench_notify
WORK="$(mktemp -d)"
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

as_postgres() {
  if [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1; then
    (cd /tmp && runuser -u postgres -- psql -v ON_ERROR_STOP=1 -q -d postgres "$@")
  else
    psql -v ON_ERROR_STOP=1 -q -h 127.0.0.1 -U postgres -d postgres "$@"
  fi
}
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "[bench] packaging notify-service"
./mvnw -B -q -pl notify-service -am package -DskipTests

echo "[bench] fresh database $DB and vhost $VHOST"
as_postgres -c "drop database if exists $DB" -c "create database $DB owner toban_notify" >/dev/null
as_root rabbitmqctl -q delete_vhost "$VHOST" >/dev/null 2>&1 || true
as_root rabbitmqctl -q add_vhost "$VHOST" >/dev/null
as_root rabbitmqctl -q set_permissions -p "$VHOST" guest '.*' '.*' '.*' >/dev/null

CP="plumbing/target/test-classes:notify-service/target/test-classes:notify-service/target/quarkus-app/lib/main/*"
"$JAVA" -cp "$CP" dev.toban.plumbing.testing.FakeSlack 0 xoxb-bench >"$WORK/fake-slack.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 50); do grep -q 'listening on' "$WORK/fake-slack.log" && break; sleep 0.2; done
SLACK_URL="$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$WORK/fake-slack.log")"
[ -n "$SLACK_URL" ] || { cat "$WORK/fake-slack.log"; exit 1; }
FAKE_BASE="${SLACK_URL%/api/}"

PORT="$(free_port)"
MPORT="$(free_port)"
echo "[bench] starting notify-service on :$PORT (Slack at $SLACK_URL, pacing off)"
# exec: the pid recorded is the JVM's own, so the cleanup stops the service and nothing else
(cd notify-service && exec env QUARKUS_HTTP_PORT="$PORT" QUARKUS_MANAGEMENT_PORT="$MPORT" DB_NAME="$DB" RABBITMQ_VHOST="$VHOST" \
    SLACK_BOT_TOKEN=xoxb-bench SLACK_API_URL="$SLACK_URL" TOBAN_EGRESS_ALLOW="${FAKE_BASE#http://}" TOBAN_SLACK_POST_INTERVAL=0 \
    TOBAN_REMINDERS_SOS_HOWTO_ENABLED=false TOBAN_MAIL_MOCK=true ONCALL_URL=http://127.0.0.1:1 \
    QUARKUS_LOG_LEVEL=WARN \
    "$JAVA" $JVM_OPTIONS -jar target/quarkus-app/quarkus-run.jar >"$WORK/notify.log" 2>&1) &
PIDS+=($!)
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "http://127.0.0.1:$MPORT/q/health/ready" 2>/dev/null && break
  sleep 1
done
curl -fsS -o /dev/null "http://127.0.0.1:$MPORT/q/health/ready" || { tail -50 "$WORK/notify.log"; exit 1; }

echo "[bench] warm-up ($COUNT), then $COUNT triggered events (one every $INTERVAL_MS ms), then $COUNT at once"
"$JAVA" -cp "$CP" dev.toban.notify.bench.NotifyBench "$FAKE_BASE" "${RABBITMQ_HOST:-localhost}" "${RABBITMQ_PORT:-5672}" \
    "${RABBITMQ_USERNAME:-guest}" "${RABBITMQ_PASSWORD:-guest}" "$VHOST" "$COUNT" "$INTERVAL_MS" "$CHANNELS"

echo "[bench] machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $("$JAVA" -version 2>&1 | head -1)"
