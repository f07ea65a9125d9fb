package dev.streamfirst.runners.flink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --metricsPort} on {@code --flinkMaster=[local]}: the embedded cluster serves its metrics,
 * every Beam metric of the job among them, through Flink's Prometheus reporter on that port, as the
 * session cluster does. FlinkRunner hands Beam's metrics to {@code PipelineResult.metrics()} only
 * when a job ends (its accumulator is registered then), so a live view of a running job on Flink
 * has to come from Flink's own metric system.
 *
 * <pre>{@code
 * flink.setFlinkConfDir(LocalFlinkMetrics.confDir(9400).toString());
 * }</pre>
 */
public final class LocalFlinkMetrics {
  private LocalFlinkMetrics() {}

  /** A Flink configuration folder whose only settings start the reporter on {@code port}. */
  public static Path confDir(int port) throws IOException {
    Path dir = Files.createTempDirectory("streamfirst-flink-conf");
    dir.toFile().deleteOnExit();
    Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        "# Written by the Streamfirst launcher for --metricsPort="
            + port
            + ".\n"
            + "metrics.reporter.prom.factory.class:"
            + " 'org.apache.flink.metrics.prometheus.PrometheusReporterFactory'\n"
            + "metrics.reporter.prom.port: '"
            + port
            + "'\n",
        StandardCharsets.UTF_8);
    config.toFile().deleteOnExit();
    return dir;
  }
}
