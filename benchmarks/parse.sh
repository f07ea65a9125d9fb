#!/usr/bin/env bash
# Parsing speed of one thread: EventParser against the built-ins' parsing and Jackson's readTree
# (docs/benchmarks.md). Arguments: [events] [rounds].
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl benchmarks -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile=target/classpath.txt >/dev/null
exec java -Xmx2g -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
    dev.streamfirst.benchmarks.ParseBenchmark "$@"
