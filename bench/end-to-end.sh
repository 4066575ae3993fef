#!/usr/bin/env bash
# End-to-end latency: Events API trigger at incident-service -> toban.incident.triggered in
# notify-service's queue -> Slack parent message at the fake Slack (pacing off), over 200 incidents,
# beside a RabbitMQ round trip and an HTTP round trip measured in the same run.
#   bench/end-to-end.sh [incidents] [rate per second] [warm-up incidents, unmeasured] [Slack channels]
# Issue 20's sustained runs: bench/end-to-end.sh 3000 50 300 10 (50/s into 10 channels for 60 s) and
# bench/end-to-end.sh 1200 20 300 1 (20/s into one channel).
# The services run with the JVM options of bin/toban up (bin/jvm.options). Every incident pages the demo's two server
# on-calls: past 20 DMs each in 15 minutes their pages fold (toban.notify.paging.rate-limits.*), as in a real storm;
# to measure every DM sent: BENCH_JVM_OPTIONS=-Dtoban.notify.paging.rate-limits.slack=1000000 bench/end-to-end.sh
# Needs bin/toban stack (PostgreSQL, RabbitMQ, Keycloak) and the system tests' ports 28081-28084 free (bin/toban up's 8081-8084 may stay up).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q install -DskipTests -DskipITs
./mvnw -B -pl system-tests verify -Dit.test=EndToEndBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtoban.bench.incidents="${1:-200}" -Dtoban.bench.rate="${2:-5}" -Dtoban.bench.warmup="${3:-300}" \
  -Dtoban.bench.channels="${4:-1}" \
  -Dtoban.it.jvm-options="$(bin/toban jvm-options) ${BENCH_JVM_OPTIONS:-}" | grep -E '^\||incidents at' || true
echo "(also in system-tests/target/bench/end-to-end.md)"
