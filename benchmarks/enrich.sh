#!/usr/bin/env bash
# The lookup-enrichment benchmark (docs/benchmarks.md). Arguments: [events] [latencyMs] [batchSize] [repeats].
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl benchmarks -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile=target/classpath.txt >/dev/null
exec java -Xmx2g -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
    dev.streamfirst.benchmarks.EnrichBenchmark "$@"
