package dev.streamfirst.pipelines.transactions;

import dev.streamfirst.pipelines.options.DedupOptions.DedupClock;
import dev.streamfirst.pipelines.options.EnrichSettings;
import dev.streamfirst.transforms.dedup.Dedup;
import dev.streamfirst.transforms.enrich.Enrich;
import dev.streamfirst.transforms.enrich.Enriched;
import dev.streamfirst.transforms.errors.DeadLetter;
import dev.streamfirst.transforms.events.Event;
import dev.streamfirst.transforms.events.EventFields;
import dev.streamfirst.transforms.events.ParseEvents;
import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import dev.streamfirst.transforms.time.Durations;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;

/**
 * Transactions in, alerts out: parse, drop re-deliveries, attach each account's profile, and check
 * the rules; everything unparseable or not enrichable out as dead letters.
 *
 * <pre>{@code
 * Transactions.Result result = lines.apply("Transactions",
 *     Transactions.of(fields, enrichSettings, TransactionRules.defaults()));
 * result.alerts();       // PCollection<Alert>
 * result.deadLetters();  // PCollection<DeadLetter>, stages parse and enrich
 * }</pre>
 */
public final class Transactions extends PTransform<PCollection<String>, Transactions.Result> {
  private final EventFields fields;
  private final Duration dedupTtl;
  private final DedupClock dedupClock;
  private final Enrich<Event> enrich;
  private final TransactionRules rules;

  private Transactions(
      EventFields fields,
      Duration dedupTtl,
      DedupClock dedupClock,
      Enrich<Event> enrich,
      TransactionRules rules) {
    this.fields = fields;
    this.dedupTtl = dedupTtl;
    this.dedupClock = dedupClock;
    this.enrich = enrich;
    this.rules = rules;
  }

  /** With the canonical fields and a 10 minute event-time dedup. */
  public static Transactions of(Enrich<Event> enrich, TransactionRules rules) {
    if (enrich == null || rules == null) {
      throw new IllegalArgumentException(
          "Transactions.of() needs an enrichment and rules, e.g. Transactions.of("
              + "settings.transform(), TransactionRules.defaults())");
    }
    return new Transactions(
        EventFields.defaults(), Dedup.DEFAULT_TTL, DedupClock.EVENT_TIME, enrich, rules);
  }

  /** From checked settings, as the pipeline builds it. */
  static Transactions of(
      EventFields fields,
      Duration dedupTtl,
      DedupClock clock,
      EnrichSettings enrich,
      TransactionRules rules) {
    return new Transactions(fields, dedupTtl, clock, enrich.transform(), rules);
  }

  @Override
  public Result expand(PCollection<String> payloads) {
    ParseEvents.Result parsed = payloads.apply("ParseEvents", ParseEvents.withFields(fields));
    Dedup<Event> dedup = Dedup.<Event>byId(Event::id).withTtl(dedupTtl);
    dedup = dedupClock == DedupClock.EVENT_TIME ? dedup : dedup.inProcessingTime();
    Enrich.Result<Event> enriched =
        parsed.events().apply("Dedup", dedup).apply("EnrichWithAccount", enrich);
    PCollection<Alert> alerts =
        enriched
            .enriched()
            .apply("ApplyRules", ParDo.of(new ApplyRulesFn(rules)))
            .setCoder(SerializableCoder.of(Alert.class));
    PCollection<DeadLetter> deadLetters =
        PCollectionList.of(parsed.deadLetters())
            .and(enriched.deadLetters())
            .apply("AllDeadLetters", Flatten.pCollections());
    return new Result(payloads.getPipeline(), alerts, deadLetters);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("dedupTtl", Durations.format(dedupTtl)).withLabel("Dedup TTL"))
        .add(DisplayData.item("dedupClock", dedupClock.name()).withLabel("TTL measured in"))
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

  private static final class ApplyRulesFn extends DoFn<Enriched<Event>, Alert> {
    private final TransactionRules rules;
    private final Counter raised = StreamfirstMetrics.counter("alerts_raised");

    ApplyRulesFn(TransactionRules rules) {
      this.rules = rules;
    }

    @ProcessElement
    public void process(@Element Enriched<Event> transaction, OutputReceiver<Alert> out) {
      for (Alert alert : rules.check(transaction)) {
        raised.inc();
        out.output(alert);
      }
    }
  }

  /** The outputs of {@link Transactions}: alerts and dead letters. */
  public static final class Result implements POutput {
    private static final TupleTag<Alert> ALERTS = new TupleTag<>("alerts");
    private static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>("deadLetters");

    private final Pipeline pipeline;
    private final PCollection<Alert> alerts;
    private final PCollection<DeadLetter> deadLetters;

    Result(Pipeline pipeline, PCollection<Alert> alerts, PCollection<DeadLetter> deadLetters) {
      this.pipeline = pipeline;
      this.alerts = alerts;
      this.deadLetters = deadLetters;
    }

    public PCollection<Alert> alerts() {
      return alerts;
    }

    public PCollection<DeadLetter> deadLetters() {
      return deadLetters;
    }

    @Override
    public Pipeline getPipeline() {
      return pipeline;
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return Map.of(ALERTS, alerts, DEAD_LETTERS, deadLetters);
    }

    @Override
    public void finishSpecifyingOutput(
        String transformName, PInput input, PTransform<?, ?> transform) {}
  }
}
