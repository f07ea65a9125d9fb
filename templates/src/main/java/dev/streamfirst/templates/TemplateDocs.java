package dev.streamfirst.templates;

/** The Markdown page that lists a template's parameters, made from its metadata. */
final class TemplateDocs {
  private TemplateDocs() {}

  static String page(TemplateMetadata metadata) {
    StringBuilder page = new StringBuilder();
    page.append("# Template: ").append(metadata.pipeline()).append("\n\n");
    page.append("<!-- Generated from the pipeline's options by the build (TemplateFiles);")
        .append(" do not edit. -->\n\n");
    page.append(metadata.description()).append("\n\n");
    page.append("Build and launch it as the README's *Dataflow Flex templates* section shows, with")
        .append(" `STREAMFIRST_PIPELINE=")
        .append(metadata.pipeline())
        .append("`.\n\n");
    page.append("| parameter | required | type | help | valid values |\n");
    page.append("|---|---|---|---|---|\n");
    for (TemplateParameter p : metadata.parameters()) {
      page.append("| `")
          .append(p.name())
          .append("` | ")
          .append(p.isOptional() ? "no" : "yes")
          .append(" | ")
          .append(p.paramType())
          .append(" | ")
          .append(escape(p.helpText()))
          .append(" | ")
          .append(
              p.enumValues().isEmpty()
                  ? (p.regexes().isEmpty() ? "any text" : "`" + escape(p.regexes().get(0)) + "`")
                  : String.join(", ", p.enumValues()))
          .append(" |\n");
    }
    return page.toString();
  }

  private static String escape(String text) {
    return text.replace("|", "\\|");
  }
}
