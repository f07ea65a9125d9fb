#!/usr/bin/env bash
# Latency of the rollup, Kafka to Kafka, on a real Flink session cluster (docs/benchmarks.md): the
# Streamfirst job and the same job written natively for Flink, one after the other on the same cluster.
# Starts its own Kafka broker and Flink cluster on free loopback ports and stops them at the end.
# Flags: [--rates=1000[,5000,...]] [--seconds=60] [--warmup=10] [--window=5s] [--maxDisorder=1s]
#   [--keys=50] [--checkpointMs=1000] [--duplicates=0.01] [--delivery=at-least-once,exactly-once]
#   [--variants=streamfirst,native] [--jobFlags="--name=value ..."] [--nativeBufferTimeoutMs=10]
#   [--caughtUp=5s]
# BENCHMARK_JAVA_OPTS=-Dstreamfirst.taskManagerMemory=4g gives the TaskManager more memory.
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
exec java -Xmx1g $opens ${BENCHMARK_JAVA_OPTS:-} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -Dorg.slf4j.simpleLogger.log.org.apache.kafka=error -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
    dev.streamfirst.benchmarks.LatencyBenchmark "$@"
