package dev.streamfirst.pipelines.transactions;

import dev.streamfirst.pipelines.PipelineIo;
import dev.streamfirst.pipelines.options.OptionChecks;
import dev.streamfirst.transforms.errors.Result;
import org.apache.beam.sdk.Pipeline;

/**
 * The transactions pipeline: reads transactions from {@code --source}, runs {@link Transactions}
 * with the account reference of {@code --reference}, writes alerts to {@code --sink} and dead
 * letters to {@code --deadLetter}.
 *
 * <pre>{@code
 * ./streamfirst run transactions --source=file:///data/tx \
 *     --reference='jdbc:postgresql://db:5432/bank?user=app&password=s&table=accounts&key=account_id'
 * }</pre>
 */
public final class TransactionsPipeline {
  public static final String NAME = "transactions";
  public static final String DESCRIPTION =
      "transactions enriched with the account's profile, checked against rules; alerts out";

  private TransactionsPipeline() {}

  /**
   * Checks the options and builds the pipeline.
   *
   * @throws dev.streamfirst.pipelines.options.InvalidOptionsException naming each bad option
   */
  public static Pipeline create(TransactionsOptions options) {
    OptionChecks checks = new OptionChecks();
    PipelineIo io = PipelineIo.open(options, checks);
    TransactionsSettings settings = TransactionsSettings.from(options, checks);

    Pipeline pipeline = Pipeline.create(options);
    Result<TransactionAlert> result =
        io.read(pipeline, "ReadTransactions").apply("Transactions", Transactions.of(settings));
    String field = settings.enrich().field();
    io.write(result.output(), "Alerts", alert -> alert.toJson(field));
    io.writeDeadLetters(result.deadLetters());
    return pipeline;
  }
}
