package dev.streamfirst.pipelines.transactions;

import dev.streamfirst.io.Sinks;
import dev.streamfirst.io.Sources;
import dev.streamfirst.pipelines.options.EnrichSettings;
import dev.streamfirst.pipelines.options.OptionChecks;
import dev.streamfirst.transforms.errors.DeadLetter;
import dev.streamfirst.transforms.events.EventFields;
import dev.streamfirst.transforms.time.Durations;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

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
    PTransform<PBegin, PCollection<String>> source =
        checks.parse("source", options.getSource(), Sources::read);
    PTransform<PCollection<String>, PDone> sink =
        checks.parse("sink", options.getSink(), Sinks::write);
    PTransform<PCollection<String>, PDone> deadLetterSink =
        checks.parse("deadLetter", options.getDeadLetter(), Sinks::write);
    EventFields fields =
        checks.parse(
            "idField",
            options.getIdField(),
            id ->
                EventFields.of(
                    id,
                    options.getKeyField(),
                    options.getTimestampField(),
                    options.getValueField()));
    Duration ttl = checks.parse("dedupTtl", options.getDedupTtl(), Durations::parse);
    checks.require(
        ttl == null || ttl.getMillis() > 0,
        "dedupTtl",
        options.getDedupTtl(),
        "must be positive, e.g. 10m");
    checks.require(
        options.getReference() != null && !options.getReference().isBlank(),
        "reference",
        options.getReference(),
        "the account reference is required, e.g."
            + " --reference=jdbc:postgresql://host:5432/bank?user=app&password=secret"
            + "&table=accounts&key=account_id");
    TransactionRules rules =
        checks.parse(
            "amountFactor",
            Double.toString(options.getAmountFactor()),
            factor ->
                TransactionRules.defaults()
                    .withAmountFactor(Double.parseDouble(factor))
                    .withUsualAmountField(options.getUsualAmountField())
                    .withCountryField(options.getCountryField())
                    .withReferenceCountryField(options.getReferenceCountryField()));
    checks.throwIfAny();
    EnrichSettings enrich = EnrichSettings.from(options, checks);

    Pipeline pipeline = Pipeline.create(options);
    Transactions.Result result =
        pipeline
            .apply("ReadTransactions", source)
            .apply(
                "Transactions",
                Transactions.of(fields, ttl, options.getDedupClock(), enrich, rules));
    String field = enrich.field();
    result
        .alerts()
        .apply(
            "AlertsToJson",
            MapElements.into(TypeDescriptors.strings()).via((Alert a) -> a.toJson(field)))
        .apply("WriteAlerts", sink);
    result
        .deadLetters()
        .apply(
            "DeadLettersToJson",
            MapElements.into(TypeDescriptors.strings()).via(DeadLetter::toJson))
        .apply("WriteDeadLetters", deadLetterSink);
    return pipeline;
  }
}
