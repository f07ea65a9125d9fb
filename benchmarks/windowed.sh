#!/usr/bin/env bash
# The sessions and sensors throughput benchmark (docs/benchmarks.md). Arguments go to WindowedBenchmark, e.g.
#   benchmarks/windowed.sh --events=200000 --directEvents=20000 --keys=20 --gap=1s
# Extra JVM flags (a profiler, a heap size) come from BENCHMARK_JAVA_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl benchmarks -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile=target/classpath.txt >/dev/null
flink_opens=()
for p in java.lang java.util java.lang.invoke java.lang.reflect java.io java.net java.nio java.text \
    java.time java.util.concurrent java.util.concurrent.atomic; do
  flink_opens+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
flink_opens+=("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED")
# shellcheck disable=SC2086
exec java -Xmx6g "${flink_opens[@]}" ${BENCHMARK_JAVA_OPTS:-} \
    -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
    dev.streamfirst.benchmarks.WindowedBenchmark "$@"
