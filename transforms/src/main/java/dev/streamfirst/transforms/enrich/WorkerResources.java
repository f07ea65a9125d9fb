package dev.streamfirst.transforms.enrich;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What the instances of one lookup transform share on a worker (a JVM): the cache and the threads
 * that make the calls. A runner runs many instances of a DoFn per worker, one per thread; sharing
 * makes the cache's size bound and the concurrency bound hold per worker, and lets one instance's
 * answers serve the others.
 */
final class WorkerResources {
  private static final ConcurrentHashMap<String, WorkerResources> BY_TRANSFORM =
      new ConcurrentHashMap<>();

  /** Key → record; {@code Optional.empty()} remembers that the key has none. */
  private final @Nullable Cache<String, Optional<String>> cache;

  /** Runs batches: at most {@code maxConcurrency} at once per worker. */
  private final ExecutorService batches;

  /** Runs each call attempt, so that a batch thread can stop waiting for it at the timeout. */
  private final ExecutorService calls;

  private WorkerResources(String name, LookupSettings settings) {
    this.cache =
        settings.cached()
            ? Caffeine.newBuilder()
                .maximumSize(settings.cacheSize())
                .expireAfterWrite(java.time.Duration.ofMillis(settings.cacheTtl().getMillis()))
                .build()
            : null;
    ThreadPoolExecutor batchPool =
        new ThreadPoolExecutor(
            settings.maxConcurrency(),
            settings.maxConcurrency(),
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            daemonThreads(name + "-batch"));
    batchPool.allowCoreThreadTimeOut(true);
    this.batches = batchPool;
    // Bounded: calls abandoned at their timeout may keep their threads; when all are taken, a new
    // attempt is refused and counts as a transient failure instead of starting one more thread.
    ThreadPoolExecutor callPool =
        new ThreadPoolExecutor(
            0,
            settings.maxConcurrency() * LookupSettings.CALL_THREADS_PER_CALL,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            daemonThreads(name + "-call"));
    this.calls = callPool;
  }

  /** The resources of the transform with this id, created on first use in this JVM. */
  static WorkerResources forTransform(String transformId, LookupSettings settings) {
    return BY_TRANSFORM.computeIfAbsent(
        transformId, id -> new WorkerResources("enrich-" + id.substring(0, 8), settings));
  }

  @Nullable Cache<String, Optional<String>> cache() {
    return cache;
  }

  ExecutorService batches() {
    return batches;
  }

  ExecutorService calls() {
    return calls;
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
