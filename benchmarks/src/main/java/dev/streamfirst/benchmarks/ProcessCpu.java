package dev.streamfirst.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time a process has used (user + system, from {@code /proc/<pid>/stat}), so that a span's
 * share of a core can be reported: {@code (cpu at end − cpu at start) / wall time}.
 *
 * <pre>{@code
 * ProcessCpu.Sample start = ProcessCpu.sample(pid);
 * ...
 * double percentOfACore = ProcessCpu.sample(pid).percentOfCoreSince(start);
 * }</pre>
 */
final class ProcessCpu {
  /** Clock ticks per second, the unit of utime and stime; 100 on every Linux we run on. */
  private static final long TICKS_PER_SECOND = ticksPerSecond();

  private ProcessCpu() {}

  /** CPU time used up to a moment, and that moment (both in milliseconds). */
  record Sample(long cpuMillis, long wallMillis) {
    /** The CPU used between {@code start} and this sample, as a percentage of one core. */
    double percentOfCoreSince(Sample start) {
      long wall = wallMillis - start.wallMillis;
      return wall <= 0 ? 0 : 100.0 * (cpuMillis - start.cpuMillis) / wall;
    }
  }

  static Sample sample(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return new Sample(cpuMillis(stat, TICKS_PER_SECOND), System.currentTimeMillis());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CPU time of process " + pid, e);
    }
  }

  /**
   * utime + stime of a {@code /proc/<pid>/stat} line, in milliseconds, given the clock ticks per
   * second they are counted in. The command name (field 2) may hold spaces and parentheses, so
   * fields are counted from its closing parenthesis: utime and stime are fields 14 and 15, the 12th
   * and 13th after it.
   */
  static long cpuMillis(String stat, long ticksPerSecond) {
    String[] after = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    long ticks = Long.parseLong(after[11]) + Long.parseLong(after[12]);
    return ticks * 1000 / ticksPerSecond;
  }

  private static long ticksPerSecond() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(getconf.getInputStream().readAllBytes()).trim();
      return getconf.waitFor() == 0 ? Long.parseLong(out) : 100;
    } catch (IOException | NumberFormatException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
