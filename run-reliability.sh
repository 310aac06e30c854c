#!/usr/bin/env bash
# The long reliability runs, not part of CI (./run-tests.sh runs the same tests at CI sizes):
#   the agent, in forked JVMs on JDK 17 (and 25 where installed): 10^9 timed calls on 2 threads, 100,000
#   short-lived threads, 20,000 class loaders, and the rest of ReliabilityForkedIT;
#   the sample persister: killed with SIGKILL 10 times at random points under continuous load, the Kafka broker
#   stopped and killed, InfluxDB stopped, answering 503 / 500, late and refusing: every produced metric stored.
# Figures: the lines "FIGURE ..." of the agent's run, and sample-persister/target/reliability-figures.txt.
# docs/reliability.md has the last ones. Needs what ./run-tests.sh needs (it installs the Debian packages).
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q -DskipTests install
mvn -B verify -pl agent,sample-persister -P reliability-long "$@"
