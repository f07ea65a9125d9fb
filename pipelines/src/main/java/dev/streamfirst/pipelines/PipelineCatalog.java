package dev.streamfirst.pipelines;

import dev.streamfirst.pipelines.rollup.RollupOptions;
import dev.streamfirst.pipelines.rollup.RollupPipeline;
import dev.streamfirst.pipelines.sensors.SensorsOptions;
import dev.streamfirst.pipelines.sensors.SensorsPipeline;
import dev.streamfirst.pipelines.sessions.SessionsOptions;
import dev.streamfirst.pipelines.sessions.SessionsPipeline;
import dev.streamfirst.pipelines.transactions.TransactionsOptions;
import dev.streamfirst.pipelines.transactions.TransactionsPipeline;
import java.util.List;
import java.util.Optional;

/**
 * Every pipeline Streamfirst ships, by name: adding a pipeline is its folder and one entry here
 * (README, "Adding a pipeline").
 */
public final class PipelineCatalog {
  private static final List<PipelineDefinition<?>> PIPELINES =
      List.of(
          PipelineDefinition.of(
              "rollup",
              "per key and event-time window: count, sum, min, max, mean, after dedup; dead"
                  + " letters kept",
              RollupOptions.class,
              RollupPipeline::create),
          PipelineDefinition.of(
              "sensors",
              "IoT: per sensor and sliding window: stats, p50/p95/p99, distinct; threshold and"
                  + " missing-data alerts",
              SensorsOptions.class,
              SensorsPipeline::create),
          PipelineDefinition.of(
              "sessions",
              "clickstream: per key and session: start, end, events, duration; early rows optional",
              SessionsOptions.class,
              SessionsPipeline::create),
          PipelineDefinition.of(
              "transactions",
              "transactions enriched with the account's profile, checked against rules; alerts"
                  + " out",
              TransactionsOptions.class,
              TransactionsPipeline::create));

  private PipelineCatalog() {}

  public static List<PipelineDefinition<?>> all() {
    return PIPELINES;
  }

  public static Optional<PipelineDefinition<?>> find(String name) {
    return PIPELINES.stream().filter(p -> p.name().equals(name)).findFirst();
  }
}
