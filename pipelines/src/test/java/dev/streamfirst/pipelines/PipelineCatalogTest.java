package dev.streamfirst.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.pipelines.options.OptionChecks;
import dev.streamfirst.pipelines.rollup.RollupOptions;
import dev.streamfirst.pipelines.rollup.RollupSettings;
import dev.streamfirst.pipelines.sensors.SensorsOptions;
import dev.streamfirst.pipelines.sensors.SensorsSettings;
import dev.streamfirst.pipelines.sessions.SessionsOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;

public class PipelineCatalogTest {
  @Test
  public void catalog_listsEveryPipeline_eachWithADescription() {
    assertEquals(
        List.of("rollup", "sensors", "sessions", "transactions"),
        PipelineCatalog.all().stream().map(PipelineDefinition::name).collect(Collectors.toList()));
    for (PipelineDefinition<?> p : PipelineCatalog.all()) {
      assertTrue(p.name(), !p.description().isBlank());
      assertEquals(p, PipelineCatalog.find(p.name()).orElseThrow());
    }
  }

  @Test
  public void everyPipelinesOptions_registerTogether_andPrintTheirHelp() {
    // Options of all pipelines in one JVM, as a launcher that lists them all would have them.
    for (PipelineDefinition<?> p : PipelineCatalog.all()) {
      PipelineOptionsFactory.register(p.optionsClass());
    }
    ByteArrayOutputStream help = new ByteArrayOutputStream();
    PipelineOptionsFactory.printHelp(
        new PrintStream(help, true, StandardCharsets.UTF_8), SensorsOptions.class);

    assertThat(help.toString(StandardCharsets.UTF_8), containsString("--alertRule"));
    // Each pipeline has its own default window, though --window is one shared option.
    assertEquals(
        "sliding:5m/1m",
        SensorsSettings.from(
                PipelineOptionsFactory.fromArgs().as(SensorsOptions.class), new OptionChecks())
            .events()
            .window()
            .toString());
    assertEquals(
        "fixed:1m",
        RollupSettings.from(
                PipelineOptionsFactory.fromArgs().as(RollupOptions.class), new OptionChecks())
            .events()
            .window()
            .toString());
    assertEquals(
        "30m", PipelineOptionsFactory.fromArgs().as(SessionsOptions.class).getSessionGap());
  }
}
