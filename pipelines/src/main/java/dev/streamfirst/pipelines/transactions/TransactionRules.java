package dev.streamfirst.pipelines.transactions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auto.value.AutoValue;
import dev.streamfirst.transforms.enrich.Enriched;
import dev.streamfirst.transforms.events.Event;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The checks a transaction goes through once its account's profile is attached.
 *
 * <ul>
 *   <li>{@code amount_above_usual}: the amount is more than {@code factor} × the account's usual
 *       amount (reference field {@code usualAmountField});
 *   <li>{@code country_differs}: the transaction's country (field {@code countryField} of the
 *       event) differs from the account's (reference field {@code referenceCountryField});
 *   <li>{@code unknown_account}: the account has no reference data at all.
 * </ul>
 *
 * A rule whose inputs are missing (no usual amount, no country) does not fire.
 *
 * <pre>{@code
 * List<TransactionAlert> alerts = TransactionRules.defaults().withAmountFactor(5).check(enriched);
 * }</pre>
 */
@AutoValue
public abstract class TransactionRules implements Serializable {
  public static final String AMOUNT_ABOVE_USUAL = "amount_above_usual";
  public static final String COUNTRY_DIFFERS = "country_differs";
  public static final String UNKNOWN_ACCOUNT = "unknown_account";

  private static final ObjectMapper JSON = new ObjectMapper();

  public abstract double amountFactor();

  public abstract String usualAmountField();

  public abstract String countryField();

  public abstract String referenceCountryField();

  abstract Builder toBuilder();

  /** Factor 3, {@code usual_amount}, {@code country} on both sides. */
  public static TransactionRules defaults() {
    return new AutoValue_TransactionRules.Builder()
        .setAmountFactor(3)
        .setUsualAmountField("usual_amount")
        .setCountryField("country")
        .setReferenceCountryField("country")
        .build();
  }

  public TransactionRules withAmountFactor(double factor) {
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException(
          "the amount factor must be a positive number, e.g. 3, got " + factor);
    }
    return toBuilder().setAmountFactor(factor).build();
  }

  public TransactionRules withUsualAmountField(String field) {
    return toBuilder().setUsualAmountField(requireName("usualAmountField", field)).build();
  }

  public TransactionRules withCountryField(String field) {
    return toBuilder().setCountryField(requireName("countryField", field)).build();
  }

  public TransactionRules withReferenceCountryField(String field) {
    return toBuilder()
        .setReferenceCountryField(requireName("referenceCountryField", field))
        .build();
  }

  /** The alerts one transaction raises, in rule order; empty when it passes every check. */
  public List<TransactionAlert> check(Enriched<Event> transaction) {
    Event event = transaction.element();
    List<TransactionAlert> alerts = new ArrayList<>();
    if (!transaction.found()) {
      alerts.add(alert(transaction, UNKNOWN_ACCOUNT, "account '" + event.key() + "' is unknown"));
      return alerts;
    }
    JsonNode usual = transaction.referenceField(usualAmountField());
    if (usual.isNumber() && event.value() > amountFactor() * usual.doubleValue()) {
      alerts.add(
          alert(
              transaction,
              AMOUNT_ABOVE_USUAL,
              String.format(
                  Locale.ROOT,
                  "amount %s is more than %s × the account's usual %s",
                  number(event.value()),
                  number(amountFactor()),
                  number(usual.doubleValue()))));
    }
    JsonNode home = transaction.referenceField(referenceCountryField());
    String country = textField(event.payload(), countryField());
    if (home.isTextual() && country != null && !country.equalsIgnoreCase(home.textValue())) {
      alerts.add(
          alert(
              transaction,
              COUNTRY_DIFFERS,
              "country " + country + " differs from the account's " + home.textValue()));
    }
    return alerts;
  }

  private static TransactionAlert alert(Enriched<Event> transaction, String rule, String reason) {
    Event e = transaction.element();
    return new TransactionAlert(
        rule,
        reason,
        e.id(),
        e.key(),
        e.timestamp(),
        e.value(),
        transaction.reference(),
        e.payload());
  }

  private static String textField(String payload, String field) {
    try {
      JsonNode value = JSON.readTree(payload).get(field);
      return value != null && value.isTextual() ? value.textValue() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }

  private static String requireName(String what, String field) {
    if (field == null || field.isBlank()) {
      throw new IllegalArgumentException(what + " must name a JSON field, got '" + field + "'");
    }
    return field;
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setAmountFactor(double factor);

    abstract Builder setUsualAmountField(String field);

    abstract Builder setCountryField(String field);

    abstract Builder setReferenceCountryField(String field);

    abstract TransactionRules build();
  }
}
