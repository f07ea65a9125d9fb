#!/usr/bin/env bash
# Throughput of the rollup on a real Flink session cluster (2 slots), Kafka to Kafka, at each
# parallelism and with and without one hot key (docs/scaling.md). Starts its own Kafka broker and
# Flink cluster on free loopback ports and stops them at the end.
# Flags: [--events=400000] [--keys=1000] [--partitions=4] [--parallelism=1,2] [--skew=0,0.5]
#   [--repeats=2] [--window=10s]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl benchmarks -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile=target/classpath.txt >/dev/null
# The Flink client (job submission) needs these on Java 17.
opens=""
for p in java.lang java.util java.lang.invoke java.lang.reflect java.io java.net java.nio java.text \
    java.time java.util.concurrent java.util.concurrent.atomic sun.nio.ch; do
  opens="$opens --add-opens=java.base/$p=ALL-UNNAMED"
done
# shellcheck disable=SC2086
exec java -Xmx1g $opens -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -Dorg.slf4j.simpleLogger.log.org.apache.kafka=error -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
    dev.streamfirst.benchmarks.ScalingBenchmark "$@"
