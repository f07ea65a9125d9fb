package dev.streamfirst.templates;

import dev.streamfirst.pipelines.PipelineCatalog;
import dev.streamfirst.pipelines.PipelineDefinition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes, for every pipeline, its template metadata ({@code <name>-metadata.json}) and its
 * parameter page ({@code <name>.md}). Run by the build, so both always match the options.
 */
public final class TemplateFiles {
  private TemplateFiles() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: TemplateFiles <output directory>");
    }
    Path out = Path.of(args[0]);
    Files.createDirectories(out);
    for (PipelineDefinition<?> definition : PipelineCatalog.all()) {
      TemplateMetadata metadata = TemplateMetadata.of(definition);
      Files.writeString(
          out.resolve(metadataFileName(definition.name())),
          metadata.toJson(),
          StandardCharsets.UTF_8);
      Files.writeString(
          out.resolve(definition.name() + ".md"),
          TemplateDocs.page(metadata),
          StandardCharsets.UTF_8);
    }
  }

  static String metadataFileName(String pipeline) {
    return pipeline + "-metadata.json";
  }
}
