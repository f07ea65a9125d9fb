package dev.streamfirst.benchmarks;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.streamfirst.benchmarks.LatencyBenchmark.JobVariant;
import dev.streamfirst.benchmarks.LatencyBenchmark.Settings;
import java.util.List;
import org.junit.Test;

/** The latency benchmark's flags, and reading a process's CPU time from its stat line. */
public class LatencyBenchmarkSettingsTest {
  @Test
  public void defaults_runBothVariantsAndBothSinks() {
    Settings s = Settings.parse();

    assertEquals(List.of(JobVariant.STREAMFIRST, JobVariant.NATIVE), s.variants);
    assertEquals(List.of("at-least-once", "exactly-once"), s.deliveries);
    assertEquals(List.of(1000), s.rates);
  }

  @Test
  public void ratesAndVariants_areLists() {
    Settings s = Settings.parse("--rates=1000,5000,10000", "--variants=native");

    assertEquals(List.of(1000, 5000, 10000), s.rates);
    assertEquals(List.of(JobVariant.NATIVE), s.variants);
  }

  @Test
  public void jobFlags_splitOnSpacesAndCommas() {
    Settings s = Settings.parse("--jobFlags=--maxBundleTimeMills=20, --maxBundleSize=100");

    assertEquals(List.of("--maxBundleTimeMills=20", "--maxBundleSize=100"), s.jobFlags);
  }

  @Test
  public void jobFlagWithoutValue_isRefusedNamingTheFlag() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Settings.parse("--jobFlags=--fast"));

    assertThat(e.getMessage(), containsString("--jobFlags"));
  }

  @Test
  public void unknownVariant_isRefusedListingTheKnownOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Settings.parse("--variants=spark"));

    assertThat(e.getMessage(), containsString("streamfirst, native"));
  }

  @Test
  public void cpuMillis_addsUserAndSystemTime_evenWithSpacesInTheCommandName() {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    String stat = "4242 (java (TM) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 80 0";

    assertEquals(3_000, ProcessCpu.cpuMillis(stat, 100));
  }

  @Test
  public void percentOfCore_isCpuTimeOverWallTime() {
    ProcessCpu.Sample start = new ProcessCpu.Sample(1_000, 10_000);
    ProcessCpu.Sample end = new ProcessCpu.Sample(1_500, 12_000);

    assertEquals(25.0, end.percentOfCoreSince(start), 1e-9);
  }

  @Test
  public void ownProcess_hasUsedCpu() {
    assertThat(ProcessCpu.sample(ProcessHandle.current().pid()).cpuMillis(), greaterThan(0L));
  }
}
