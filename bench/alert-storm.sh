#!/usr/bin/env bash
# Alert storm with grouping (issue 19): 2,000 distinct alerts in 60 s over 20 group keys through the Events API
# against the packaged services (AlertStormIT), reported beside pgbench's select-only latency on the same
# PostgreSQL measured in the same run (1 client, 15 s), so the figure stays comparable across machines.
# The services run with the JVM options of bin/toban up (bin/jvm.options), and a short
# warm-up storm on a service of its own runs first (AlertStormIT.warmUp): a storm hits a Toban that has been running.
#   bench/alert-storm.sh [alerts]
# Needs bin/toban stack (PostgreSQL, RabbitMQ, Keycloak) and the system tests' ports 28081-28084 free (bin/toban up's 8081-8084 may stay up).
set -euo pipefail
cd "$(dirname "$0")/.."
set -a; . .toban/secrets.env; set +a
./mvnw -B -q install -DskipTests -DskipITs
OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT
./mvnw -B -pl system-tests verify -Dit.test=AlertStormIT -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtoban.storm.alerts="${1:-2000}" -Dtoban.it.jvm-options="$(bin/toban jvm-options)" >"$OUT" 2>&1 || { tail -n 40 "$OUT"; exit 1; }
P99="$(sed -n 's/.*storm_accept_p99_ms=\([0-9]*\).*/\1/p' "$OUT" | head -n 1)"
ALERTS="$(sed -n 's/.*storm_alerts=\([0-9]*\).*/\1/p' "$OUT" | head -n 1)"
P99_WARM="$(sed -n 's/.*storm_p99_after_first_100_ms=\([0-9]*\).*/\1/p' "$OUT" | head -n 1)"
grep -E '^storm_slowest' "$OUT" || true
grep -E '^\[reliability\] \| Alert storm' "$OUT" || true
PG="$(PGPASSWORD="$TOBAN_DB_PASSWORD" pgbench -n -S -c 1 -T 15 -h 127.0.0.1 -U toban_incident toban_incident_it 2>&1 \
  | sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' | head -n 1)" || true
if [ -z "$PG" ]; then
  PGPASSWORD="$TOBAN_DB_PASSWORD" pgbench -i -q -s 1 -h 127.0.0.1 -U toban_incident toban_incident_it >/dev/null 2>&1
  PG="$(PGPASSWORD="$TOBAN_DB_PASSWORD" pgbench -n -S -c 1 -T 15 -h 127.0.0.1 -U toban_incident toban_incident_it 2>&1 \
    | sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' | head -n 1)"
fi
awk -v p99="$P99" -v pg="$PG" -v n="$ALERTS" -v warm="$P99_WARM" 'BEGIN {
  printf "  alerts accepted           %d in 60 s over 20 group keys\n", n
  printf "  accept latency p99        %d ms (target < 50 ms)\n", p99
  printf "  p99 after the first 100   %d ms\n", warm
  printf "  pgbench select-only       %.3f ms average, 1 client\n", pg
  printf "  ratio p99 / pgbench       %.0f\n", p99 / pg
  printf "  target: %s\n", p99 < 50 ? "MET" : "NOT MET"
}'
