package dev.streamfirst.pipelines.transactions;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.streamfirst.testing.EventJson;
import dev.streamfirst.transforms.enrich.Enriched;
import dev.streamfirst.transforms.events.Event;
import java.util.List;
import java.util.stream.Collectors;
import org.joda.time.Instant;
import org.junit.Test;

public class TransactionRulesTest {
  private static final Instant T = Instant.parse("2026-11-25T10:00:00Z");
  private static final String DE_40 = "{\"country\":\"DE\",\"usual_amount\":40}";
  private static final TransactionRules RULES = TransactionRules.defaults();

  private static Enriched<Event> tx(double amount, String country, String reference) {
    EventJson json = EventJson.event("t-1", "acct-1", T, amount);
    if (country != null) {
      json = json.with("country", country);
    }
    return Enriched.of(Event.of("t-1", "acct-1", T, amount, json.toJson()), reference);
  }

  private static List<String> rules(List<TransactionAlert> alerts) {
    return alerts.stream().map(TransactionAlert::rule).collect(Collectors.toList());
  }

  @Test
  public void ordinaryTransaction_raisesNothing() {
    assertEquals(List.of(), RULES.check(tx(120, "DE", DE_40)));
  }

  @Test
  public void amountAboveFactorTimesUsual_raisesWithTheNumbersInTheReason() {
    List<TransactionAlert> alerts = RULES.check(tx(120.5, "DE", DE_40));
    assertEquals(List.of("amount_above_usual"), rules(alerts));
    assertEquals("amount 120.5 is more than 3 × the account's usual 40", alerts.get(0).reason());
  }

  @Test
  public void otherCountry_raisesCountryDiffers() {
    List<TransactionAlert> alerts = RULES.check(tx(10, "BR", DE_40));
    assertEquals(List.of("country_differs"), rules(alerts));
    assertEquals("country BR differs from the account's DE", alerts.get(0).reason());
  }

  @Test
  public void bothRules_raiseTwoAlerts() {
    assertEquals(
        List.of("amount_above_usual", "country_differs"), rules(RULES.check(tx(500, "BR", DE_40))));
  }

  @Test
  public void unknownAccount_raisesOnlyUnknownAccount() {
    assertEquals(List.of("unknown_account"), rules(RULES.check(tx(500, "BR", null))));
  }

  @Test
  public void missingInputs_raiseNothing() {
    assertEquals(List.of(), RULES.check(tx(500, null, "{\"country\":\"DE\"}")));
  }

  @Test
  public void factorIsAnOption() {
    assertEquals(List.of(), RULES.withAmountFactor(20).check(tx(500, "DE", DE_40)));
  }

  @Test
  public void alertJson_carriesReferenceAndEvent() {
    TransactionAlert alert = RULES.check(tx(10, "BR", DE_40)).get(0);
    assertEquals(
        "{\"rule\":\"country_differs\",\"reason\":\"country BR differs from the account's DE\","
            + "\"id\":\"t-1\",\"key\":\"acct-1\",\"ts\":\"2026-11-25T10:00:00.000Z\","
            + "\"amount\":10.0,\"ref\":{\"country\":\"DE\",\"usual_amount\":40},"
            + "\"event\":{\"id\":\"t-1\",\"key\":\"acct-1\",\"ts\":\"2026-11-25T10:00:00.000Z\","
            + "\"value\":10,\"country\":\"BR\"}}",
        alert.toJson("ref"));
  }

  @Test
  public void nonPositiveFactor_isRefused() {
    assertEquals(
        "the amount factor must be a positive number, e.g. 3, got 0.0",
        assertThrows(IllegalArgumentException.class, () -> RULES.withAmountFactor(0)).getMessage());
  }
}
