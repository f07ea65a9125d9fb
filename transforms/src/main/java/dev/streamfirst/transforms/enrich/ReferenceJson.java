package dev.streamfirst.transforms.enrich;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Reading reference records and merging them into JSON objects. */
final class ReferenceJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReferenceJson() {}

  static ObjectNode parseObject(String json) {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "expected a JSON object, got invalid JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(
          "expected a JSON object, got " + (node == null ? "nothing" : node.getNodeType()));
    }
    return (ObjectNode) node;
  }

  static String merge(String objectJson, String field, @Nullable String reference) {
    if (field == null || field.isEmpty()) {
      throw new IllegalArgumentException("the reference field needs a name, e.g. \"ref\"");
    }
    ObjectNode target = parseObject(objectJson);
    if (reference == null) {
      target.putNull(field);
    } else {
      target.set(field, parseObject(reference));
    }
    return target.toString();
  }
}
