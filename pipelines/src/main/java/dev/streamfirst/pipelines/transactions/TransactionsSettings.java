package dev.streamfirst.pipelines.transactions;

import dev.streamfirst.pipelines.CleanEvents;
import dev.streamfirst.pipelines.options.EnrichSettings;
import dev.streamfirst.pipelines.options.OptionChecks;
import java.io.Serializable;

/**
 * The transactions pipeline's settings: its events (parsed and deduplicated, not windowed), the
 * account reference and the rules.
 */
public record TransactionsSettings(
    CleanEvents events, EnrichSettings enrich, TransactionRules rules) implements Serializable {
  /** Reads and checks the settings from options, recording every problem in {@code checks}. */
  public static TransactionsSettings from(TransactionsOptions options, OptionChecks checks) {
    CleanEvents.Builder events = CleanEvents.read(options, checks);
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
    return new TransactionsSettings(events.build(), EnrichSettings.from(options, checks), rules);
  }
}
