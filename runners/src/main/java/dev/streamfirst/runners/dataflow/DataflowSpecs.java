package dev.streamfirst.runners.dataflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfirst.pipelines.PipelineDefinition;
import dev.streamfirst.runners.PlannedRun;
import dev.streamfirst.runners.PreparedRun;
import dev.streamfirst.runners.ProjectRoot;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.beam.runners.dataflow.DataflowRunner;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory;
import org.apache.beam.sdk.extensions.gcp.storage.NoopPathValidator;

/**
 * Translates a pipeline into the job spec Dataflow would run, offline: the real {@link
 * DataflowRunner} does all of its work (overrides, translation into Dataflow steps, streaming
 * detection, option validation) and writes the spec to a local file instead of submitting it.
 * Nothing is uploaded and no Google Cloud account is needed.
 *
 * <pre>{@code
 * JsonNode spec = DataflowSpecs.translate(PipelineCatalog.find("rollup").get(),
 *     "--source=generator://events?rate=100");
 * spec.path("type").asText(); // JOB_TYPE_STREAMING
 * DataflowSpecs.stepNames(spec); // [ReadEvents/..., Rollup/ParseEvents/..., ..., WriteRows/...]
 * }</pre>
 */
public final class DataflowSpecs {
  /** The project that offline specs name unless {@code --project} is given. */
  public static final String OFFLINE_PROJECT = "streamfirst-offline";

  /** The region offline specs name unless {@code --region} is given. */
  public static final String OFFLINE_REGION = "us-central1";

  private static final String OFFLINE_BUCKET = "gs://streamfirst-offline";
  private static final ObjectMapper JSON = new ObjectMapper();

  private DataflowSpecs() {}

  /**
   * The Dataflow job spec of {@code definition} built from {@code flags} (the pipeline's own, and
   * any Dataflow option such as {@code --region} or {@code --enableStreamingEngine}).
   *
   * @throws IOException if the spec cannot be written or read back
   */
  public static JsonNode translate(PipelineDefinition<?> definition, String... flags)
      throws IOException {
    Path dir = Files.createTempDirectory("streamfirst-dataflow-spec");
    Path spec = dir.resolve(definition.name() + ".json");
    try {
      PreparedRun run = PreparedRun.of(definition, offlineFlags(definition, spec, flags));
      PipelineResult result = run.run();
      if (!Files.isRegularFile(spec)) {
        throw new IOException("DataflowRunner wrote no job spec (its result: " + result + ")");
      }
      return JSON.readTree(spec.toFile());
    } finally {
      Files.deleteIfExists(spec);
      Files.deleteIfExists(dir);
    }
  }

  /**
   * The steps' names as the user sees them ({@code user_name}), e.g. {@code
   * Rollup/Dedup/DropDuplicates}, in the spec's order.
   */
  public static List<String> stepNames(JsonNode spec) {
    List<String> names = new ArrayList<>();
    for (JsonNode step : spec.path("steps")) {
      JsonNode name = step.path("properties").path("user_name");
      // Spec values are typed objects: {"@type": "http://schema.org/Text", "value": "..."}.
      names.add(name.isObject() ? name.path("value").asText() : name.asText());
    }
    return names;
  }

  /** Whether the spec is for a streaming job. */
  public static boolean isStreaming(JsonNode spec) {
    return "JOB_TYPE_STREAMING".equals(spec.path("type").asText());
  }

  private static String[] offlineFlags(
      PipelineDefinition<?> definition, Path spec, String... flags) {
    Set<String> given = PlannedRun.givenOptionNames(flags);
    for (String reserved : List.of("runner", "templateLocation", "stagerClass")) {
      if (given.contains(reserved)) {
        throw new IllegalArgumentException(
            "--"
                + reserved
                + " is set by the offline translation itself (DataflowRunner writing a local"
                + " spec); leave it out");
      }
    }
    List<String> all = new ArrayList<>(List.of(flags));
    all.add("--runner=" + DataflowRunner.class.getSimpleName());
    all.add("--templateLocation=" + spec);
    all.add("--stagerClass=" + NoUploadStager.class.getName());
    all.add("--pathValidatorClass=" + NoopPathValidator.class.getName());
    all.add("--credentialFactoryClass=" + NoopCredentialFactory.class.getName());
    addUnlessGiven(all, given, "project", OFFLINE_PROJECT);
    addUnlessGiven(all, given, "region", OFFLINE_REGION);
    addUnlessGiven(all, given, "tempLocation", OFFLINE_BUCKET + "/temp");
    // Given explicitly, so that nothing tries to look at the bucket.
    addUnlessGiven(all, given, "gcpTempLocation", OFFLINE_BUCKET + "/temp");
    addUnlessGiven(all, given, "stagingLocation", OFFLINE_BUCKET + "/staging");
    // Only the names of staged files end up in the spec: the bundled jar when running from it,
    // else just the pipeline's own classes rather than a whole test classpath.
    addUnlessGiven(
        all,
        given,
        "filesToStage",
        ProjectRoot.bundledJar().orElse(codeSource(definition.optionsClass())).toString());
    return all.toArray(new String[0]);
  }

  private static Path codeSource(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the classes of " + type.getName(), e);
    }
  }

  private static void addUnlessGiven(
      List<String> flags, Set<String> given, String option, String value) {
    if (!given.contains(option)) {
      flags.add("--" + option + "=" + value);
    }
  }
}
