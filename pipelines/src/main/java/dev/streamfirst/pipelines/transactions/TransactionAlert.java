package dev.streamfirst.pipelines.transactions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * One rule that one transaction broke, with the transaction and its account's reference data.
 *
 * @param rule the rule's name, e.g. {@code amount_above_usual}
 * @param reason why, in words
 * @param reference the account's reference record (JSON object text), or null when it has none
 * @param payload the transaction as it arrived
 */
public record TransactionAlert(
    String rule,
    String reason,
    String transactionId,
    String account,
    Instant timestamp,
    double amount,
    @Nullable String reference,
    String payload)
    implements Serializable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One JSON object: {@code rule}, {@code reason}, {@code id}, {@code key}, {@code ts}, {@code
   * amount}, the reference record under {@code referenceField} (or null) and the transaction under
   * {@code event}.
   */
  public String toJson(String referenceField) {
    ObjectNode node = JSON.createObjectNode();
    node.put("rule", rule());
    node.put("reason", reason());
    node.put("id", transactionId());
    node.put("key", account());
    node.put("ts", timestamp().toString());
    node.put("amount", amount());
    try {
      if (reference() == null) {
        node.putNull(referenceField);
      } else {
        node.set(referenceField, JSON.readTree(reference()));
      }
      node.set("event", JSON.readTree(payload()));
    } catch (IOException e) {
      throw new UncheckedIOException("an alert holds JSON it cannot read", e);
    }
    return node.toString();
  }
}
