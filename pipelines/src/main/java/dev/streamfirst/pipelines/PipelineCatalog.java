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

/** Every pipeline Streamfirst ships, by name. */
public final class PipelineCatalog {
  private static final List<PipelineDefinition<?>> PIPELINES =
      List.of(
          PipelineDefinition.of(
              RollupPipeline.NAME,
              RollupPipeline.DESCRIPTION,
              RollupOptions.class,
              RollupPipeline::create),
          PipelineDefinition.of(
              SensorsPipeline.NAME,
              SensorsPipeline.DESCRIPTION,
              SensorsOptions.class,
              SensorsPipeline::create),
          PipelineDefinition.of(
              SessionsPipeline.NAME,
              SessionsPipeline.DESCRIPTION,
              SessionsOptions.class,
              SessionsPipeline::create),
          PipelineDefinition.of(
              TransactionsPipeline.NAME,
              TransactionsPipeline.DESCRIPTION,
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
