package dev.streamfirst.pipelines.transactions;

import dev.streamfirst.pipelines.options.DedupOptions;
import dev.streamfirst.pipelines.options.EnrichOptions;
import dev.streamfirst.pipelines.options.EventFieldOptions;
import dev.streamfirst.pipelines.options.SinkOptions;
import dev.streamfirst.pipelines.options.SourceOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Options of the transactions pipeline: source, sinks, event fields, dedup, the account reference
 * and the rules. The event's key is the account; its value the amount.
 */
public interface TransactionsOptions
    extends SourceOptions, SinkOptions, EventFieldOptions, DedupOptions, EnrichOptions {
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
