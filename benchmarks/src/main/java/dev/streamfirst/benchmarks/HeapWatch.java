package dev.streamfirst.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The peak of used heap (not committed heap) while a variant runs in this JVM.
 *
 * <p>Used heap only grows between collections (allocation) and only drops in them, so its maxima
 * are the moments just before each collection, and the moment the run ends. The JVM reports every
 * collection with the pools' usage before and after it; the peak is the largest sum of the heap
 * pools' usage before a collection, or the heap in use at the end if that is larger. Summing each
 * pool's own {@code getPeakUsage()} would overstate it: eden peaks just before a young collection,
 * the old generation at some other time, and the sum counts both at once.
 *
 * <p>The peak depends on how much the collector lets the heap fill before collecting (with G1 and a
 * large {@code -Xmx}, eden can grow to gigabytes of garbage), so the largest heap left right after
 * a collection is kept too: closer to what the run actually holds, though a young collection leaves
 * dead objects of the old generation in place. Flink's managed memory and network buffers are
 * off-heap and in neither figure; the process's peak resident set ({@code VmHWM}) includes them.
 *
 * <pre>{@code
 * HeapWatch watch = HeapWatch.start();
 * ... run ...
 * HeapWatch.Reading heap = watch.stop();
 * }</pre>
 */
final class HeapWatch implements NotificationListener {
  /** The peak used heap, the largest heap after a collection, and the peak resident set. */
  record Reading(long peakHeapBytes, long heapAfterGcBytes, long peakRssBytes) {}

  private final Set<String> heapPools =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(pool -> pool.getType() == MemoryType.HEAP)
          .map(MemoryPoolMXBean::getName)
          .collect(Collectors.toSet());

  private final List<GarbageCollectorMXBean> collectors =
      ManagementFactory.getGarbageCollectorMXBeans();
  private final AtomicLong peakBeforeGc = new AtomicLong();
  private final AtomicLong maxAfterGc = new AtomicLong();
  private final AtomicLong seen = new AtomicLong();
  private long collectionsAtStart;

  private HeapWatch() {}

  static HeapWatch start() {
    HeapWatch watch = new HeapWatch();
    for (GarbageCollectorMXBean collector : watch.collectors) {
      if (collector instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(watch, null, null);
      }
    }
    watch.collectionsAtStart = watch.collections();
    return watch;
  }

  @Override
  public void handleNotification(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
        notification.getType())) {
      return;
    }
    var info =
        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData())
            .getGcInfo();
    peakBeforeGc.accumulateAndGet(heapUsed(info.getMemoryUsageBeforeGc()), Math::max);
    maxAfterGc.accumulateAndGet(heapUsed(info.getMemoryUsageAfterGc()), Math::max);
    seen.incrementAndGet();
  }

  /** Stops watching and returns the figures since {@link #start}. */
  Reading stop() throws InterruptedException {
    long usedAtEnd = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    // Notifications come on a JVM service thread, a little after each collection: wait for those
    // of the collections counted so far.
    long due = collections() - collectionsAtStart;
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (seen.get() < due && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    for (GarbageCollectorMXBean collector : collectors) {
      if (collector instanceof NotificationEmitter emitter) {
        try {
          emitter.removeNotificationListener(this);
        } catch (ListenerNotFoundException e) {
          // Never added to this one.
        }
      }
    }
    return new Reading(
        Math.max(peakBeforeGc.get(), usedAtEnd), maxAfterGc.get(), peakResidentSet());
  }

  private long collections() {
    return collectors.stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionCount)
        .filter(c -> c > 0)
        .sum();
  }

  private long heapUsed(Map<String, MemoryUsage> pools) {
    return pools.entrySet().stream()
        .filter(e -> heapPools.contains(e.getKey()))
        .mapToLong(e -> e.getValue().getUsed())
        .sum();
  }

  /** The process's peak resident set size from Linux's {@code /proc}, or -1 elsewhere. */
  private static long peakResidentSet() {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return -1;
    }
    try {
      for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
        if (line.startsWith("VmHWM:")) {
          // "VmHWM:   123456 kB"
          String[] parts = line.substring(6).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
