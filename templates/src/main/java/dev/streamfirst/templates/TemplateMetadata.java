package dev.streamfirst.templates;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.value.AutoValue;
import dev.streamfirst.pipelines.PipelineDefinition;
import java.util.List;

/**
 * The Flex template metadata of one pipeline, generated from its options so that a new option
 * appears in the template without anyone remembering to add it.
 *
 * <pre>{@code
 * String json = TemplateMetadata.of(PipelineCatalog.find("rollup").get()).toJson();
 * }</pre>
 */
@AutoValue
public abstract class TemplateMetadata {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The pipeline's name in the catalog; the image's {@code STREAMFIRST_PIPELINE}. */
  public abstract String pipeline();

  public abstract String name();

  public abstract String description();

  public abstract List<TemplateParameter> parameters();

  public static TemplateMetadata of(PipelineDefinition<?> definition) {
    return new AutoValue_TemplateMetadata(
        definition.name(),
        "Streamfirst " + definition.name(),
        "Streamfirst " + definition.name() + ": " + definition.description() + ".",
        OptionParameters.of(definition.optionsClass()));
  }

  /** The metadata file that {@code gcloud dataflow flex-template build --metadata-file} takes. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("name", name());
    root.put("description", description());
    ArrayNode parameters = root.putArray("parameters");
    for (TemplateParameter p : parameters()) {
      ObjectNode node = parameters.addObject();
      node.put("name", p.name());
      node.put("label", p.label());
      node.put("helpText", p.helpText());
      node.put("isOptional", p.isOptional());
      node.put("paramType", p.paramType());
      if (!p.regexes().isEmpty()) {
        ArrayNode regexes = node.putArray("regexes");
        p.regexes().forEach(regexes::add);
      }
      if (!p.enumValues().isEmpty()) {
        ArrayNode options = node.putArray("enumOptions");
        p.enumValues().forEach(v -> options.addObject().put("value", v));
      }
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write template metadata", e);
    }
  }
}
