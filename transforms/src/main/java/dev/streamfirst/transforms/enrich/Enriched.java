package dev.streamfirst.transforms.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.google.auto.value.AutoValue;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * An element with the reference record found for its key, or without one when the key had none and
 * the miss policy is {@link OnMiss#PASS_THROUGH}.
 *
 * <p>The record is kept as the JSON object text the reference source gave. {@link #toJson} writes
 * an element's JSON with the record merged under one field, so reference fields never clash with
 * the element's own: {@code {"id":"t-1", ..., "ref":{"country":"DE"}}}, or {@code "ref":null} for a
 * miss.
 *
 * <pre>{@code
 * Enriched<Event> e = ...;
 * double usual = e.referenceField("usual_amount").asDouble();
 * String line = Enriched.toJson(e.element().payload(), "ref", e.reference());
 * }</pre>
 */
@AutoValue
public abstract class Enriched<T> {
  /** The field {@link #toJson} merges the record under, unless told otherwise. */
  public static final String DEFAULT_FIELD = "ref";

  public abstract T element();

  /** The reference record, a JSON object text; null when the key had none. */
  public abstract @Nullable String reference();

  public static <T> Enriched<T> of(T element, @Nullable String reference) {
    return new AutoValue_Enriched<>(element, reference);
  }

  /** Whether reference data was found for the element's key. */
  public boolean found() {
    return reference() != null;
  }

  /**
   * One field of the reference record; a {@link MissingNode} (whose {@code isMissingNode()} is
   * true) when there is no record or no such field.
   */
  public JsonNode referenceField(String name) {
    String reference = reference();
    if (reference == null) {
      return MissingNode.getInstance();
    }
    JsonNode value = ReferenceJson.parseObject(reference).get(name);
    return value == null ? MissingNode.getInstance() : value;
  }

  /**
   * {@code elementJson}, a JSON object, with {@code reference} added as field {@code field} (an
   * object, or {@code null} for a miss). A field of that name already present is replaced.
   *
   * @throws IllegalArgumentException if {@code elementJson} is not a JSON object
   */
  public static String toJson(String elementJson, String field, @Nullable String reference) {
    return ReferenceJson.merge(elementJson, field, reference);
  }
}
