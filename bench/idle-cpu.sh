#!/bin/bash
# Idle cost of the four services: starts them from <root> (default: this checkout) as bin/toban up does (JVM mode,
# bin/jvm.options or $JVM_OPTIONS, the package's AOT cache if any, demo data, the Slack sandbox), waits until each is ready, lets them settle, then prints each one's
# CPU over a window of idling, read from /proc/<pid>/stat, then each one's busiest threads over that window
# (THREADS=5 by default, 0 for none), and stops them again.
# Needs PostgreSQL, RabbitMQ and Keycloak (bin/toban stack), the services built (./mvnw package -DskipTests) and
# the ports 8081-8084 and 9081-9084 free. Compare two checkouts by running it for each:
#   SETTLE=60 WINDOW=60 bench/idle-cpu.sh /path/to/other/checkout other; bench/idle-cpu.sh . this
# Target (issue 20): all four together < 1% of one core.
set -u
HERE="$(cd "$(dirname "$0")/.." && pwd)"
ROOT="$(cd "${1:-$HERE}" && pwd)"; LABEL="${2:-$(basename "$ROOT")}"
SETTLE="${SETTLE:-60}"; WINDOW="${WINDOW:-60}"
JVM_OPTIONS="${JVM_OPTIONS:-$("$HERE/bin/toban" jvm-options)}"
set -a; . "$HERE/.toban/secrets.env"; set +a
export TOBAN_DEMO_ENABLED=true TOBAN_MAIL_MOCK=true
JAVA="${JAVA_HOME:-$(ls -d /usr/lib/jvm/*temurin*25* 2>/dev/null | head -1)}/bin/java"
SERVICES=(oncall-service incident-service notify-service postmortem-service)
declare -A MPORT=([oncall-service]=9081 [incident-service]=9082 [notify-service]=9083 [postmortem-service]=9084)
declare -A PID
for s in "${SERVICES[@]}"; do
  extra=(TOBAN_BENCH=idle)
  case $s in notify-service|incident-service) extra=(SLACK_API_URL=http://localhost:8083/sandbox/slack/api/
    SLACK_BOT_TOKEN=xoxb-sandbox TOBAN_SLACK_SANDBOX_ENABLED=true TOBAN_EGRESS_ALLOW=localhost:8083,127.0.0.1:8083);; esac
  cache=""; [ -f "$ROOT/$s/target/quarkus-app/app.aot" ] && cache="-XX:AOTCache=target/quarkus-app/app.aot"
  # shellcheck disable=SC2086 # the options are words
  (cd "$ROOT/$s" && exec env "${extra[@]}" "$JAVA" $JVM_OPTIONS $cache -jar target/quarkus-app/quarkus-run.jar \
    > "/tmp/idle-cpu-$LABEL-$s.log" 2>&1) &
  PID[$s]=$!
done
for s in "${SERVICES[@]}"; do
  for i in $(seq 1 240); do
    curl -fs -o /dev/null "http://localhost:${MPORT[$s]}/q/health/ready" && break
    sleep 1
  done
  echo "$s ready after ~${i}s (pid ${PID[$s]})"
done
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
# "<tid> <ticks> <thread name>" per thread (the name may hold spaces: it is read between the parentheses)
thread_ticks() {
  local f line rest
  for f in /proc/"$1"/task/*/stat; do
    line=$(<"$f") 2>/dev/null || continue
    rest=${line##*) }; read -r -a r <<< "$rest"
    name=${line#*(}; echo "${line%% *} $(( r[11] + r[12] )) ${name%)*}"
  done
}
sleep "$SETTLE"
declare -A T0
for s in "${SERVICES[@]}"; do T0[$s]=$(ticks "${PID[$s]}"); thread_ticks "${PID[$s]}" > "/tmp/idle-cpu-$LABEL-$s.t0"; done
sleep "$WINDOW"
HZ=$(getconf CLK_TCK); total=0
for s in "${SERVICES[@]}"; do
  d=$(( $(ticks "${PID[$s]}") - ${T0[$s]} )); total=$((total + d))
  echo "$LABEL $s idle CPU over ${WINDOW}s: $(awk -v d=$d -v hz="$HZ" -v w="$WINDOW" \
    'BEGIN{printf "%.2f%% of a core (%.2f CPU-s)", 100*d/hz/w, d/hz}')"
done
echo "$LABEL all four idle CPU over ${WINDOW}s: $(awk -v d=$total -v hz="$HZ" -v w="$WINDOW" \
  'BEGIN{printf "%.2f%% of a core", 100*d/hz/w}')"
# where it went: each service's busiest threads over the window (THREADS=0 to skip)
for s in "${SERVICES[@]}"; do
  [ "${THREADS:-5}" -gt 0 ] || break
  thread_ticks "${PID[$s]}" | awk -v hz="$HZ" -v s="$s" -v n="${THREADS:-5}" 'NR==FNR{t0[$1]=$2; next}
    {d=$2-t0[$1]; if (d>0) {$2=""; sub(/^[0-9]+  /,""); printf "%d %s\n", d, $0}}' "/tmp/idle-cpu-$LABEL-$s.t0" - |
    sort -rn | head -n "${THREADS:-5}" | awk -v hz="$HZ" -v s="$s" '{d=$1; $1=""; printf "  %s %-28s %.2f CPU-s\n", s, $0, d/hz}'
done
for s in "${SERVICES[@]}"; do kill "${PID[$s]}"; done
for s in "${SERVICES[@]}"; do
  for _ in $(seq 1 30); do kill -0 "${PID[$s]}" 2>/dev/null || break; sleep 1; done
done
