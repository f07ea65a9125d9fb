package dev.streamfirst.runners.dataflow.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.beam.runners.dataflow.DataflowRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory;
import org.apache.beam.sdk.extensions.gcp.storage.NoopPathValidator;

/**
 * Translates a pipeline into the job spec Dataflow would run, offline: the real {@link
 * DataflowRunner} does all of its work (overrides, translation into Dataflow steps, streaming
 * detection, option validation) and writes the spec to a local file instead of submitting it.
 * Nothing is uploaded and no Google Cloud account is needed.
 *
 * <p>The caller builds the pipeline from the flags it is handed — its own, plus those that point
 * DataflowRunner at the local file — exactly as it would for a real launch, so the spec is that of
 * the job a user would get.
 *
 * <pre>{@code
 * JsonNode spec = OfflineTranslation.translate(
 *     flags -> MyPipeline.create(PipelineOptionsFactory.fromArgs(flags).as(MyOptions.class)),
 *     MyOptions.class,
 *     "--source=generator://events?rate=100");
 * JobSpecs.isStreaming(spec); // true
 * }</pre>
 */
public final class OfflineTranslation {
  /** The project that offline specs name unless {@code --project} is given. */
  public static final String OFFLINE_PROJECT = "streamfirst-offline";

  /** The region offline specs name unless {@code --region} is given. */
  public static final String OFFLINE_REGION = "us-central1";

  /** Options the translation sets itself; a caller that gives one is refused. */
  public static final List<String> RESERVED = List.of("runner", "templateLocation", "stagerClass");

  private static final String OFFLINE_BUCKET = "gs://streamfirst-offline";
  private static final ObjectMapper JSON = new ObjectMapper();

  private OfflineTranslation() {}

  /**
   * The Dataflow job spec of the pipeline that {@code build} makes from {@code flags} and the
   * offline ones. The spec names the jar (or class folder) that {@code stagedCode} was loaded from
   * as the one file to stage: a launch from a bundled jar stages that jar.
   *
   * @throws IllegalArgumentException if {@code flags} give one of the {@link #RESERVED} options
   * @throws IOException if the spec cannot be written or read back
   */
  public static JsonNode translate(
      Function<String[], Pipeline> build, Class<?> stagedCode, String... flags) throws IOException {
    Set<String> given = givenOptionNames(flags);
    for (String reserved : RESERVED) {
      if (given.contains(reserved)) {
        throw new IllegalArgumentException(
            "--"
                + reserved
                + " is set by the offline translation itself (DataflowRunner writing a local"
                + " spec); leave it out");
      }
    }
    Path dir = Files.createTempDirectory("streamfirst-dataflow-spec");
    Path spec = dir.resolve("job.json");
    try {
      Pipeline pipeline = build.apply(offlineFlags(spec, stagedCode, given, flags));
      PipelineResult result = pipeline.run();
      if (!Files.isRegularFile(spec)) {
        throw new IOException("DataflowRunner wrote no job spec (its result: " + result + ")");
      }
      return JSON.readTree(spec.toFile());
    } finally {
      Files.deleteIfExists(spec);
      Files.deleteIfExists(dir);
    }
  }

  private static String[] offlineFlags(
      Path spec, Class<?> stagedCode, Set<String> given, String... flags) {
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
    // Only the names of staged files end up in the spec: the one jar a launch runs from, rather
    // than every entry of a test classpath.
    addUnlessGiven(all, given, "filesToStage", codeSource(stagedCode).toString());
    return all.toArray(new String[0]);
  }

  /** The option names among {@code flags}: {@code --a=1 --b} gives {@code a, b}. */
  private static Set<String> givenOptionNames(String... flags) {
    return Arrays.stream(flags)
        .filter(f -> f.startsWith("--") && f.length() > 2)
        .map(f -> f.substring(2, f.contains("=") ? f.indexOf('=') : f.length()))
        .collect(Collectors.toSet());
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
