package dev.streamfirst.pipelines.transactions;

import dev.streamfirst.pipelines.PipelineIo;
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
  private TransactionsPipeline() {}

  /** The transactions job over checked options; see {@link PipelineIo#open}. */
  public static Pipeline create(TransactionsOptions options) {
    PipelineIo<TransactionsSettings> io = PipelineIo.open(options, TransactionsSettings::from);
    Result<TransactionAlert> result =
        io.read("ReadTransactions").apply("Transactions", Transactions.of(io.settings()));
    String field = io.settings().enrich().field();
    io.write(result.output(), "Alerts", alert -> alert.toJson(field));
    io.writeDeadLetters(result.deadLetters());
    return io.pipeline();
  }
}
