package dev.streamfirst.pipelines.options;

import com.google.auto.value.AutoValue;
import dev.streamfirst.io.reference.References;
import dev.streamfirst.pipelines.options.EnrichOptions.EnrichMode;
import dev.streamfirst.transforms.enrich.Enrich;
import dev.streamfirst.transforms.enrich.EnrichFromTable;
import dev.streamfirst.transforms.enrich.LookupSettings;
import dev.streamfirst.transforms.enrich.OnMiss;
import dev.streamfirst.transforms.events.Event;
import dev.streamfirst.transforms.time.Durations;
import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * The enrichment a pipeline's options ask for, checked: the reference URI, whether it is held as a
 * table or looked up, and the {@link LookupSettings}, so the {@link Enrich} transform is built from
 * typed values.
 *
 * <pre>{@code
 * EnrichSettings enrich = EnrichSettings.from(options, checks);
 * events.apply("Enrich", enrich.transform());
 * }</pre>
 */
@AutoValue
public abstract class EnrichSettings implements Serializable {
  public abstract String reference();

  /** Whether the reference is looked up per key (rather than held in memory as a table). */
  public abstract boolean lookup();

  public abstract @Nullable Duration refreshEvery();

  public abstract OnMiss onMiss();

  /** The output field the reference record goes under. */
  public abstract String field();

  /** How lookups are cached, batched, bounded, timed out and retried. */
  public abstract LookupSettings lookupSettings();

  public static Builder builder() {
    return new AutoValue_EnrichSettings.Builder()
        .setLookup(false)
        .setOnMiss(OnMiss.PASS_THROUGH)
        .setField("ref")
        .setLookupSettings(LookupSettings.defaults());
  }

  public abstract Builder toBuilder();

  /**
   * Reads and checks the enrichment options, recording every problem in {@code checks}; null when
   * {@code --reference} is not given.
   */
  public static @Nullable EnrichSettings from(EnrichOptions options, OptionChecks checks) {
    String uri = options.getReference();
    if (uri == null || uri.isBlank()) {
      return null;
    }
    Duration refresh =
        options.getRefreshEvery() == null
            ? null
            : checks.parse("refreshEvery", options.getRefreshEvery(), Durations::parse);
    checks.require(
        refresh == null || refresh.getMillis() > 0,
        "refreshEvery",
        options.getRefreshEvery(),
        "must be positive, e.g. 5m");
    boolean lookup = resolveLookup(options, refresh, checks);
    Duration wait =
        checks.parse("lookupMaxBatchWait", options.getLookupMaxBatchWait(), Durations::parse);
    Duration ttl = checks.parse("lookupCacheTtl", options.getLookupCacheTtl(), Durations::parse);
    Duration timeout = checks.parse("lookupTimeout", options.getLookupTimeout(), Durations::parse);
    String field = options.getReferenceField();
    checks.require(
        field != null && !field.isBlank(), "referenceField", field, "must name a field, e.g. ref");
    checks.throwIfAny();
    // The settings check every number, with their own messages.
    LookupSettings lookupSettings =
        checks.parse(
            "reference",
            uri,
            ignored -> {
              LookupSettings s =
                  LookupSettings.defaults()
                      .withBatchSize(options.getLookupBatchSize())
                      .withMaxBatchWait(wait)
                      .withCacheTtl(ttl)
                      .withMaxConcurrency(options.getLookupConcurrency())
                      .withTimeout(timeout)
                      .withMaxRetries(options.getLookupRetries())
                      .withOnOutage(options.getLookupOnOutage());
              long cacheSize = options.getLookupCacheSize();
              return cacheSize == 0 ? s.withoutCache() : s.withCacheSize(cacheSize);
            });
    checks.throwIfAny();
    EnrichSettings settings =
        builder()
            .setReference(uri)
            .setLookup(lookup)
            .setRefreshEvery(refresh)
            .setOnMiss(options.getOnMiss())
            .setField(field)
            .setLookupSettings(lookupSettings)
            .build();
    // Building the transform checks the URI, with the reference's own messages.
    checks.parse("reference", uri, ignored -> settings.transform());
    checks.throwIfAny();
    return settings;
  }

  private static boolean resolveLookup(
      EnrichOptions options, @Nullable Duration refresh, OptionChecks checks) {
    String uri = options.getReference();
    Boolean lookupOnly = checks.parse("reference", uri, References::isLookupOnly);
    Boolean tableOnly = checks.parse("reference", uri, References::isTableOnly);
    if (lookupOnly == null || tableOnly == null) {
      return false;
    }
    EnrichMode mode = options.getEnrichMode();
    checks.require(
        !(lookupOnly && (mode == EnrichMode.TABLE || refresh != null)),
        "reference",
        uri,
        "an HTTP reference is looked up per key, never read whole; drop --refreshEvery and"
            + " --enrichMode=TABLE, and bound staleness with --lookupCacheTtl");
    checks.require(
        !(tableOnly && mode == EnrichMode.LOOKUP),
        "enrichMode",
        mode.name(),
        "a file reference is read whole into memory; use --enrichMode=AUTO or TABLE");
    checks.require(
        !(mode == EnrichMode.LOOKUP && refresh != null),
        "refreshEvery",
        options.getRefreshEvery(),
        "applies to a table held in memory, not to lookups; bound staleness with"
            + " --lookupCacheTtl");
    return switch (mode) {
      case LOOKUP -> true;
      case TABLE -> false;
      case AUTO -> lookupOnly || (!tableOnly && refresh == null);
    };
  }

  /** The enrichment of events, as the options describe it. */
  public Enrich<Event> transform() {
    if (!lookup()) {
      EnrichFromTable<Event> table = Enrich.fromTable(References.table(reference()));
      table = refreshEvery() == null ? table : table.refreshedEvery(refreshEvery());
      return table.withOnMiss(onMiss());
    }
    return Enrich.fromLookup(References.lookup(reference()))
        .withSettings(lookupSettings())
        .withOnMiss(onMiss());
  }

  /** Builds settings in code, e.g. for tests. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setReference(String uri);

    public abstract Builder setLookup(boolean lookup);

    public abstract Builder setRefreshEvery(@Nullable Duration every);

    public abstract Builder setOnMiss(OnMiss onMiss);

    public abstract Builder setField(String field);

    public abstract Builder setLookupSettings(LookupSettings settings);

    public abstract EnrichSettings build();
  }
}
