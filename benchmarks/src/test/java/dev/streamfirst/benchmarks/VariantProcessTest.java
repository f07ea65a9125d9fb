package dev.streamfirst.benchmarks;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** What a child JVM inherits, and the files through which it reports back. */
public class VariantProcessTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void inheritedFlags_keepHeapAndOpens_dropDebuggerAgentsAndRecordings() {
    List<String> parent =
        List.of(
            "-Xmx6g",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "-agentlib:jdwp=transport=dt_socket,server=y,address=5005",
            "-javaagent:/m2/jacoco.jar=destfile=target/jacoco.exec",
            "-agentpath:/opt/async-profiler/libasyncProfiler.so=start",
            "-XX:StartFlightRecording=filename=/tmp/x.jfr,settings=profile",
            "-XX:FlightRecorderOptions=stackdepth=512",
            "-Xlog:gc*:file=/tmp/gc.log",
            "-Xlog:gc",
            "-Dfile.encoding=UTF-8");

    assertEquals(
        List.of(
            "-Xmx6g",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "-Xlog:gc",
            "-Dfile.encoding=UTF-8"),
        VariantProcess.inheritedJvmFlags(parent));
  }

  @Test
  public void result_readsBackWhatWasWritten() throws IOException {
    RunResult written =
        new RunResult(
            "native Flink DataStream",
            "input.jsonl",
            12.345678901234567,
            2_099_566,
            1_512_003,
            3_221_225_472L,
            512L << 20,
            -1);
    Path file = tmp.getRoot().toPath().resolve(VariantProcess.RESULT);

    written.write(file);

    assertEquals(written, RunResult.read(file));
  }

  @Test
  public void result_missingField_isNamed() throws IOException {
    Path file = tmp.getRoot().toPath().resolve(VariantProcess.RESULT);
    Files.writeString(
        file, "variant=plain Java loop\ninput=input.jsonl\nseconds=1.5\n", StandardCharsets.UTF_8);

    IOException e = assertThrows(IOException.class, () -> RunResult.read(file));

    assertThat(e.getMessage(), containsString("'lines'"));
  }

  @Test
  public void result_garbledNumber_namesTheFile() throws IOException {
    RunResult ok = new RunResult("v", "in", 1.0, 1, 1, 1, 1, 1);
    Path file = tmp.getRoot().toPath().resolve(VariantProcess.RESULT);
    ok.write(file);
    Files.writeString(
        file,
        Files.readString(file, StandardCharsets.UTF_8).replace("seconds=1.0", "seconds=soon"),
        StandardCharsets.UTF_8);

    IOException e = assertThrows(IOException.class, () -> RunResult.read(file));

    assertThat(e.getMessage(), containsString(file.toString()));
  }

  @Test
  public void rows_readBackExactly() throws IOException {
    List<AggregateRow> rows =
        List.of(
            new AggregateRow("key-1", 1_767_225_600_000L, 3, 0.1 + 0.2, 0.01, 99.99),
            new AggregateRow("key-\"2\"", -60_000L, 1, 1e-300, 1e-300, 1e-300));
    Path file = tmp.getRoot().toPath().resolve(VariantProcess.ROWS);

    VariantProcess.writeRows(rows, file);

    assertEquals(rows, RowFiles.read(file));
  }
}
