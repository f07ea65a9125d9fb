package dev.streamfirst.pipelines.transactions;

import dev.streamfirst.pipelines.options.DedupOptions;
import dev.streamfirst.pipelines.options.EnrichOptions;
import dev.streamfirst.pipelines.options.EventFieldOptions;
import dev.streamfirst.pipelines.options.SinkOptions;
import dev.streamfirst.pipelines.options.SourceOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/**
 * Options of the transactions pipeline: source, sinks, event fields, dedup, the account reference
 * and the rules. The event's key is the account; its value the amount.
 */
public interface TransactionsOptions
    extends SourceOptions, SinkOptions, EventFieldOptions, DedupOptions, EnrichOptions {
  // Declared again to make it required here (the rollup's reference is optional), so that a
  // template launch without one is refused before a job is started.
  @Override
  @Description(
      "The accounts' reference data, as a URI: file:///abs/accounts.jsonl?key=account_id,"
          + " jdbc:postgresql://host:5432/db?user=u&password=p&table=accounts&key=account_id or"
          + " http://host:8080/accounts (see --enrichMode).")
  @Validation.Required
  String getReference();

  @Description(
      "Alert when a transaction's amount is more than this many times the account's usual"
          + " amount.")
  @Default.Double(3.0)
  double getAmountFactor();

  void setAmountFactor(double factor);

  @Description("Field of the account's reference record with its usual amount.")
  @Default.String("usual_amount")
  String getUsualAmountField();

  void setUsualAmountField(String field);

  @Description("Field of the transaction with the country it was made in.")
  @Default.String("country")
  String getCountryField();

  void setCountryField(String field);

  @Description("Field of the account's reference record with the account's country.")
  @Default.String("country")
  String getReferenceCountryField();

  void setReferenceCountryField(String field);
}
