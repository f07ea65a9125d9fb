#!/usr/bin/env bash
# Dedup state per live id, from the checkpoints of a job on a real Flink session cluster (docs/benchmarks.md).
# Starts its own Kafka broker and Flink cluster on free loopback ports and stops them at the end.
# Flags: [--ids=100000,200000,300000] [--backends=hashmap,rocksdb] [--clocks=EVENT_TIME,PROCESSING_TIME] [--checkpointMs=2000]
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
    dev.streamfirst.benchmarks.DedupStateBenchmark "$@"
