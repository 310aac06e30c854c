#!/usr/bin/env bash
# The project's test command (CI runs exactly this): installs the Debian packages the tests need when run as
# root, then builds everything and runs every test, forked-JVM tests also on JDK 25 when it is installed.
set -euo pipefail
cd "$(dirname "$0")"

packages=(influxdb influxdb-client python3-monasca-statsd python3-monascaclient)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "run-tests.sh: installing ${missing[*]}"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  else
    echo "run-tests.sh: Debian packages missing: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi

# A second JDK for the agent's forked-JVM tests (the build JDK is the first).
extra_jdk=""
for home in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*-25-* /usr/lib/jvm/*25*; do
  if [ -x "$home/bin/java" ]; then extra_jdk=$home; break; fi
done
if [ -z "$extra_jdk" ]; then
  echo "run-tests.sh: no JDK 25 under /usr/lib/jvm: forked-JVM tests run on the build JDK only" >&2
fi

exec mvn -B verify ${extra_jdk:+-Dtest.extra.jdk=$extra_jdk} "$@"
