package dev.streamfirst.pipelines;

import dev.streamfirst.pipelines.rollup.RollupOptions;
import dev.streamfirst.pipelines.rollup.RollupPipeline;
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
