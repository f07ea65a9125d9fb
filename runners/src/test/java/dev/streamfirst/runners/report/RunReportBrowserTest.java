package dev.streamfirst.runners.report;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfirst.runners.Launcher;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A real run through the launcher, then its report opened in headless Chromium: the charts are
 * drawn (SVG in the rendered DOM, the chart colours in the screenshot) and every number the page
 * shows is the one in summary.json.
 */
public class RunReportBrowserTest {
  private static final String INSTALL =
      "apt-get install -y --no-install-recommends chromium (as root; ./streamfirst test does it"
          + " from .ci/debian-packages)";
  private static final List<String> CHARTS =
      List.of(
          "events-per-second",
          "rows-per-window",
          "dead-letters-by-reason",
          "top-keys",
          "row-latency");

  /** The page's chart colours (solid fills, so their inner pixels keep the exact value). */
  private static final Set<Integer> PALETTE =
      Set.of(
          0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x17becf, 0xbcbd22);

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static Path chromium;
  private static Path out;
  private static JsonNode summary;
  private static String dom;
  private static BufferedImage screenshot;
  private static String launcherErr;

  @BeforeClass
  public static void runAndOpenTheReport() throws Exception {
    chromium = findChromium();
    out = TMP.newFolder("out").toPath();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new Launcher(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .run(
                new String[] {
                  "run",
                  "rollup",
                  // Enough events that the run spans several of the launcher's 1 s samples
                  // (600 took less than a second once the aggregation got faster).
                  "--source=generator://events?count=12000&keys=12&duplicates=0.05"
                      + "&malformed=0.05&interval=25ms",
                  "--window=fixed:30s",
                  "--sink=file://" + out.resolve("rows"),
                  "--deadLetter=file://" + out.resolve("dead-letters")
                });
    launcherErr = err.toString(StandardCharsets.UTF_8);
    assertEquals(launcherErr, 0, code);
    summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    Path html = out.resolve("report.html");
    dom = browser("--dump-dom", html.toUri().toString());
    Path png = TMP.getRoot().toPath().resolve("report.png");
    browser("--screenshot=" + png, html.toUri().toString());
    screenshot = ImageIO.read(png.toFile());
    String keep = System.getProperty("streamfirst.report.keep");
    if (keep != null) {
      // To look at (or to refresh the README's screenshot): the page, its JSON and the screenshot.
      Path to = Files.createDirectories(Path.of(keep));
      for (Path file : List.of(html, out.resolve("summary.json"), png)) {
        Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  @Test
  public void summaryJson_holdsTheRunsCountsTimingsAndStatus() {
    assertEquals("DONE", summary.path("status").asText());
    assertEquals(0, summary.path("exit_code").asInt());
    assertEquals("DirectRunner", summary.path("runner").asText());
    assertThat(launcherErr, containsString("Report: " + out.resolve("report.html")));
    JsonNode counts = summary.path("counts");
    long read = counts.path("events_read").asLong();
    assertThat(read, greaterThanOrEqualTo(12000L));
    // Duplicates are valid events dropped later; every read event is valid or a dead letter.
    assertEquals(read, counts.path("events_valid").asLong() + counts.path("dead_letters").asLong());
    assertThat(counts.path("dead_letters").asLong(), greaterThanOrEqualTo(1L));
    assertTrue(summary.path("seconds").asDouble() > 0);
    // 12,000 events 25ms apart: 300 s of event time in 30 s windows.
    JsonNode windows = summary.at("/rows_per_window/windows");
    assertEquals(10, windows.size());
    long rowsPerWindow = 0;
    for (JsonNode w : windows) {
      rowsPerWindow += w.path("rows").asLong();
    }
    assertEquals(counts.path("rows").asLong(), rowsPerWindow);
    assertEquals(counts.path("rows").asLong(), summary.at("/row_latency_ms/rows").asLong());
    assertEquals(FileOutputs.TOP_KEYS, summary.at("/top_keys/keys").size()); // of 12 keys
    long keyed = 0;
    for (JsonNode reason : summary.at("/dead_letters/by_reason")) {
      keyed += reason.path("count").asLong();
      assertThat(reason.path("examples").size(), greaterThanOrEqualTo(1));
    }
    assertEquals(counts.path("dead_letters").asLong(), keyed);
    assertEquals(
        counts.path("dead_letters").asLong(), summary.at("/dead_letters/by_stage/parse").asLong());
    assertThat(summary.at("/events_per_second/samples").asInt(), greaterThanOrEqualTo(2));
    assertEquals("fixed:30s", summary.at("/options/window").asText());
  }

  @Test
  public void renderedPage_drawsEveryChartAsSvg() {
    for (String chart : CHARTS) {
      Matcher svg =
          Pattern.compile("<svg[^>]*data-chart=\"" + chart + "\"[^>]*>(.*?)</svg>", Pattern.DOTALL)
              .matcher(dom);
      assertTrue("no SVG for " + chart + " in the rendered page", svg.find());
      int marks = count(svg.group(1), "<rect ") + count(svg.group(1), "<polyline ");
      assertThat(chart, marks, greaterThanOrEqualTo(1));
    }
    assertThat(count(dom, "<rect "), greaterThanOrEqualTo(10 + 10 + 12));
    // Nothing to fetch: no scripts, no links, no images from anywhere.
    assertThat(dom, not(containsString("<script")));
    assertThat(dom, not(containsString(" src=")));
    assertThat(dom, not(containsString(" href=")));
  }

  @Test
  public void renderedNumbers_equalSummaryJson() {
    Matcher field =
        Pattern.compile("data-field=\"([^\"]+)\" data-value=\"([^\"]*)\">([^<]*)<").matcher(dom);
    int checked = 0;
    Set<String> fields = new HashSet<>();
    while (field.find()) {
      if (field.group(3).isBlank()) {
        continue; // a chart's bar: its value is checked below
      }
      JsonNode expected = summary.at(field.group(1));
      assertTrue("summary.json has no " + field.group(1), !expected.isMissingNode());
      String shown = field.group(3).replace(",", "").trim();
      if (expected.isTextual()) {
        assertEquals(field.group(1), expected.asText(), field.group(2));
        assertEquals(field.group(1), expected.asText(), shown);
      } else {
        assertEquals(field.group(1), expected.asDouble(), Double.parseDouble(field.group(2)), 0);
        assertEquals(field.group(1), expected.asDouble(), Double.parseDouble(shown), 0.051);
      }
      fields.add(field.group(1));
      checked++;
    }
    for (String headline :
        List.of(
            "/counts/events_read",
            "/counts/events_valid",
            "/counts/duplicates_dropped",
            "/counts/dead_letters",
            "/counts/rows",
            "/status",
            "/exit_code",
            "/events_per_second/average",
            "/rows_per_window/count",
            "/row_latency_ms/rows",
            "/dead_letters/total")) {
      assertTrue(headline + " is not on the page", fields.contains(headline));
    }
    assertThat(checked, greaterThanOrEqualTo(20));
    // The bars carry their values too (rows per window, top keys, dead letters, latency).
    Matcher bar =
        Pattern.compile("<rect [^>]*data-field=\"([^\"]+)\" data-value=\"(\\d+)\"").matcher(dom);
    int bars = 0;
    while (bar.find()) {
      assertEquals(bar.group(1), summary.at(bar.group(1)).asLong(), Long.parseLong(bar.group(2)));
      bars++;
    }
    assertThat(bars, greaterThanOrEqualTo(10 + 10 + 1 + 12));
  }

  @Test
  public void screenshot_showsTheChartsInColour() {
    assertEquals(1280, screenshot.getWidth());
    Set<Integer> colours = new HashSet<>();
    Set<Integer> palette = new HashSet<>();
    List<Integer> colourfulBands = new ArrayList<>();
    int bandHeight = 250;
    for (int band = 0; band * bandHeight < screenshot.getHeight(); band++) {
      int colourful = 0;
      for (int y = band * bandHeight;
          y < Math.min(screenshot.getHeight(), (band + 1) * bandHeight);
          y++) {
        for (int x = 0; x < screenshot.getWidth(); x++) {
          int rgb = screenshot.getRGB(x, y) & 0xffffff;
          colours.add(rgb);
          int r = rgb >> 16;
          int g = (rgb >> 8) & 0xff;
          int b = rgb & 0xff;
          if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) {
            colourful++;
          }
          if (PALETTE.contains(rgb)) {
            palette.add(rgb);
          }
        }
      }
      if (colourful > 2_000) {
        colourfulBands.add(band);
      }
    }
    assertThat("distinct colours in the screenshot", colours.size(), greaterThanOrEqualTo(200));
    assertThat("chart colours drawn: " + palette, palette.size(), greaterThanOrEqualTo(8));
    assertThat(
        "bands with coloured charts: " + colourfulBands,
        colourfulBands.size(),
        greaterThanOrEqualTo(4));
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  private static Path findChromium() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    fail(
        "the run report test needs headless Chromium, which is not installed; install it with: "
            + INSTALL);
    return null;
  }

  /** Runs headless Chromium once, in a profile of its own, and returns what it printed. */
  private static String browser(String action, String url) throws Exception {
    Path profile = Files.createTempDirectory(TMP.getRoot().toPath(), "profile");
    List<String> command =
        List.of(
            chromium.toString(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--user-data-dir=" + profile,
            "--window-size=1280,2000",
            action,
            url);
    Path stdout = TMP.getRoot().toPath().resolve("chromium-" + System.nanoTime() + ".out");
    Path stderr = stdout.resolveSibling(stdout.getFileName() + ".err");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("chromium did not finish within 60 s: " + command);
    }
    String printed = Files.readString(stdout, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      fail("chromium exited " + process.exitValue() + ": " + Files.readString(stderr));
    }
    return printed;
  }
}
