#!/usr/bin/env bash
# The main job: build what is needed, then compare the sample persister with the agent off and on.
#
#   ./run-perf.sh [perf run options]      e.g. ./run-perf.sh --mode attach
#                                         or   ./run-perf.sh --mode restart --rounds 6 --messages 200000
#
# Needs only a JDK (17+) and Maven. Starts everything itself (Kafka in-process, InfluxDB when `influxd` is on
# PATH, else the sample persister writes a file and says so) and writes perf-results/<timestamp>/report.md,
# report.json and throughput.png. `./run-perf.sh --help` lists the options.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"

jars=(agent/target/monasca-persister-agent.jar
      sample-persister/target/sample-persister.jar
      perf/target/monasca-perf.jar)

# Up to date when every jar exists and no main source, main resource or pom is newer than the oldest jar
# (tests, src/test, do not go into the jars: editing them does not force a rebuild).
up_to_date() {
  local oldest=""
  for jar in "${jars[@]}"; do
    [[ -f "$jar" ]] || return 1
    if [[ -z "$oldest" || "$jar" -ot "$oldest" ]]; then oldest="$jar"; fi
  done
  local newer
  newer="$(find pom.xml testkit agent sample-persister perf -name target -prune -o -type f \
             \( -path '*/src/main/*' -o -name 'pom.xml' \) -newer "$oldest" -print -quit)"
  [[ -z "$newer" ]]
}

if ! up_to_date; then
  command -v mvn >/dev/null || { echo "run-perf.sh: Maven (mvn) is needed to build the jars" >&2; exit 1; }
  echo "run-perf.sh: building the agent, the sample persister and the perf tool (mvn -B -q -DskipTests package)..."
  mvn -B -q -DskipTests package
fi

exec java -jar perf/target/monasca-perf.jar run "$@"
