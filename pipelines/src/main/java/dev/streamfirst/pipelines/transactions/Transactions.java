package dev.streamfirst.pipelines.transactions;

import dev.streamfirst.pipelines.CleanEvents;
import dev.streamfirst.transforms.enrich.Enriched;
import dev.streamfirst.transforms.errors.Result;
import dev.streamfirst.transforms.events.Event;
import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import dev.streamfirst.transforms.time.Durations;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;

/**
 * Transactions in, alerts out: parse, drop re-deliveries, attach each account's profile, and check
 * the rules; everything unparseable or not enrichable out as dead letters.
 *
 * <pre>{@code
 * Result<TransactionAlert> result = lines.apply("Transactions", Transactions.of(settings));
 * result.output();       // PCollection<TransactionAlert>
 * result.deadLetters();  // PCollection<DeadLetter>, stages parse and enrich
 * }</pre>
 */
public final class Transactions extends PTransform<PCollection<String>, Result<TransactionAlert>> {
  private final TransactionsSettings settings;

  private Transactions(TransactionsSettings settings) {
    this.settings = settings;
  }

  public static Transactions of(TransactionsSettings settings) {
    if (settings == null) {
      throw new IllegalArgumentException("Transactions.of() needs settings, got null");
    }
    return new Transactions(settings);
  }

  @Override
  public Result<TransactionAlert> expand(PCollection<String> payloads) {
    CleanEvents.Cleaned unique = settings.events().deduplicated(payloads);
    Result<Enriched<Event>> enriched =
        unique.output().apply("EnrichWithAccount", settings.enrich().transform());
    PCollection<TransactionAlert> alerts =
        enriched
            .output()
            .apply("ApplyRules", ParDo.of(new ApplyRulesFn(settings.rules())))
            .setCoder(SerializableCoder.of(TransactionAlert.class));
    return unique.result(alerts, enriched.deadLetters());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    TransactionRules rules = settings.rules();
    builder
        .add(
            DisplayData.item("dedupTtl", Durations.format(settings.events().dedupTtl()))
                .withLabel("Dedup TTL"))
        .add(
            DisplayData.item("dedupClock", settings.events().dedupClock().name())
                .withLabel("TTL measured in"))
        .add(
            DisplayData.item("amountFactor", rules.amountFactor())
                .withLabel("Alert above this many times the usual amount"))
        .add(
            DisplayData.item("usualAmountField", rules.usualAmountField())
                .withLabel("Reference field with the usual amount"))
        .add(
            DisplayData.item("countryField", rules.countryField())
                .withLabel("Transaction field with the country"))
        .add(
            DisplayData.item("referenceCountryField", rules.referenceCountryField())
                .withLabel("Reference field with the account's country"));
  }

  private static final class ApplyRulesFn extends DoFn<Enriched<Event>, TransactionAlert> {
    private final TransactionRules rules;
    private final Counter raised = StreamfirstMetrics.counter("alerts_raised");

    ApplyRulesFn(TransactionRules rules) {
      this.rules = rules;
    }

    @ProcessElement
    public void process(
        @Element Enriched<Event> transaction, OutputReceiver<TransactionAlert> out) {
      for (TransactionAlert alert : rules.check(transaction)) {
        raised.inc();
        out.output(alert);
      }
    }
  }
}
