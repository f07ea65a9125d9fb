#!/usr/bin/env bash
# The rollup throughput benchmark (docs/benchmarks.md). Arguments go to RollupBenchmark, e.g.
#   benchmarks/rollup.sh --events=2000000 --directEvents=5000 --keys=10000 --rounds=3
# Each variant runs in a child JVM of its own, --rounds times (default 3), in a rotating order; the
# table gives median seconds and events/s (with min-max) and peak heap. The children get this JVM's
# flags below (heap size, Flink's --add-opens) and class path.
# Extra JVM flags for this JVM and the children (a heap size) come from BENCHMARK_JAVA_OPTS;
# debugger, agent and flight-recording flags are not passed on. To profile a variant, give the
# child its flags: --only=<part of its name> --rounds=1 --childJvmFlags="-XX:StartFlightRecording=..."
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
    dev.streamfirst.benchmarks.RollupBenchmark "$@"
