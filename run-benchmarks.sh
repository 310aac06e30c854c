#!/usr/bin/env bash
# The agent's performance budgets: builds what is needed, then runs every benchmark side by side (JMH per call and
# per message of the sample persister, start-up, the agent jar's size) and prints each figure with its error, then
# one line per budget: `name value budget PASS|FAIL`.
#
#   ./run-benchmarks.sh            full settings: about ten minutes on a quiet machine
#   ./run-benchmarks.sh --quick    short settings: about a minute and a half on a quiet machine, three on a busy one
#   ./run-benchmarks.sh --startup  only the start-up benchmark (15 rounds; 5 with --quick) and the jar: 3 minutes
#
# The budgets are information: the exit status is 0 whenever the benchmarks ran, FAILs included; non-zero only
# when they could not be built or run. Needs only a JDK (17+) and Maven.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"

# The build makes the agent jar before the benchmarks jar, which runs it: a build is due when either jar or the
# start-up benchmark's libraries are missing, or a main source, main resource or pom is newer than the benchmarks jar.
build_due() {
  [[ -f agent/target/monasca-persister-agent.jar && -f benchmarks/target/benchmarks.jar \
     && -d benchmarks/target/startup-libs ]] || return 0
  [[ -n "$(find pom.xml testkit agent sample-persister perf benchmarks -name target -prune -o -type f \
             \( -path '*/src/main/*' -o -name 'pom.xml' \) -newer benchmarks/target/benchmarks.jar -print -quit)" ]]
}

if build_due; then
  command -v mvn >/dev/null || { echo "run-benchmarks.sh: Maven (mvn) is needed to build the jars" >&2; exit 1; }
  echo "run-benchmarks.sh: building the agent and the benchmarks (mvn -B -q -DskipTests package -pl benchmarks -am)..."
  mvn -B -q -DskipTests package -pl benchmarks -am
fi

exec java -Dproject.root="$root" -cp benchmarks/target/benchmarks.jar io.monasca.agent.benchmarks.Budgets "$@"
