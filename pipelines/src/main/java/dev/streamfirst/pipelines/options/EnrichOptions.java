package dev.streamfirst.pipelines.options;

import dev.streamfirst.transforms.enrich.LookupSettings;
import dev.streamfirst.transforms.enrich.OnMiss;
import dev.streamfirst.transforms.enrich.OnOutage;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where reference data comes from, and how it is joined with the events. */
public interface EnrichOptions extends PipelineOptions {
  @Description(
      "Reference data, as a URI: file:///abs/accounts.jsonl?key=account_id (JSON lines, held in"
          + " memory), jdbc:postgresql://host:5432/db?user=u&password=p&table=accounts"
          + "&key=account_id (looked up, or held in memory with --refreshEvery), or"
          + " http://host:8080/accounts (looked up: POST {\"keys\":[...]}; or .../{key}: GET"
          + " per key).")
  String getReference();

  void setReference(String reference);

  @Description(
      "Re-read the whole reference table this often while the job runs (e.g. 5m), so changes are"
          + " seen within one period; for file and jdbc references. Unset: a file is read once,"
          + " jdbc is looked up per key. A bounded input reads the table once.")
  String getRefreshEvery();

  void setRefreshEvery(String period);

  @Description(
      "How to use the reference: AUTO (file: held in memory; jdbc: looked up, or held in memory"
          + " with --refreshEvery; http: looked up), TABLE (held in memory) or LOOKUP.")
  @Default.Enum("AUTO")
  EnrichMode getEnrichMode();

  void setEnrichMode(EnrichMode mode);

  @Description(
      "What to do with an event whose key has no reference data: PASS_THROUGH (on, with the"
          + " reference field null), DROP, or DEAD_LETTER.")
  @Default.Enum("PASS_THROUGH")
  OnMiss getOnMiss();

  void setOnMiss(OnMiss onMiss);

  @Description("Field under which the reference record is added to each output (null: none).")
  @Default.String("ref")
  String getReferenceField();

  void setReferenceField(String field);

  @Description("Lookups: most distinct keys per call (1: one call per key).")
  @Default.Integer(LookupSettings.DEFAULT_BATCH_SIZE)
  int getLookupBatchSize();

  void setLookupBatchSize(int size);

  @Description("Lookups: longest a key waits for its batch to fill (e.g. 100ms).")
  @Default.String(LookupSettings.DEFAULT_MAX_BATCH_WAIT_TEXT)
  String getLookupMaxBatchWait();

  void setLookupMaxBatchWait(String wait);

  @Description("Lookups: answers cached per worker (0: no cache).")
  @Default.Long(LookupSettings.DEFAULT_CACHE_SIZE)
  long getLookupCacheSize();

  void setLookupCacheSize(long entries);

  @Description("Lookups: how long a cached answer is used (e.g. 10m).")
  @Default.String(LookupSettings.DEFAULT_CACHE_TTL_TEXT)
  String getLookupCacheTtl();

  void setLookupCacheTtl(String ttl);

  @Description("Lookups: most calls in progress at once per worker.")
  @Default.Integer(LookupSettings.DEFAULT_MAX_CONCURRENCY)
  int getLookupConcurrency();

  void setLookupConcurrency(int calls);

  @Description("Lookups: longest one call may take before it is abandoned and retried (e.g. 5s).")
  @Default.String(LookupSettings.DEFAULT_TIMEOUT_TEXT)
  String getLookupTimeout();

  void setLookupTimeout(String timeout);

  @Description(
      "Lookups: retries of a call that failed transiently, with exponential backoff; then"
          + " --lookupOnOutage decides.")
  @Default.Integer(LookupSettings.DEFAULT_MAX_RETRIES)
  int getLookupRetries();

  void setLookupRetries(int retries);

  /** How reference data is used. */
  enum EnrichMode {
    AUTO,
    TABLE,
    LOOKUP
  }

  @Description(
      "Lookups: when the service still fails transiently after the retries: WAIT (keep"
          + " retrying, at most every 10s; the job slows down and loses nothing), FAIL (fail the"
          + " bundle for the runner to retry) or DEAD_LETTER (its events become dead letters).")
  @Default.Enum("WAIT")
  OnOutage getLookupOnOutage();

  void setLookupOnOutage(OnOutage onOutage);
}
