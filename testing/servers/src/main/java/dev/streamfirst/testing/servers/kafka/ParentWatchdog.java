package dev.streamfirst.testing.servers.kafka;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;

/**
 * The main class of a server process started for tests: {@code ParentWatchdog <parent pid> <main
 * class> [args...]} runs {@code main class} with the arguments, and halts the process as soon as
 * the parent process is gone.
 *
 * <p>A test JVM stops its servers in a shutdown hook, but hooks do not run on {@code kill -9} or
 * when a forked test JVM is torn down hard; without this, the server would keep its ports and
 * memory until someone notices.
 */
public final class ParentWatchdog {
  private static final long CHECK_EVERY_MILLIS = 1000;

  private ParentWatchdog() {}

  public static void main(String[] args) throws Throwable {
    if (args.length < 2) {
      System.err.println("usage: ParentWatchdog <parent pid> <main class> [args...]");
      System.exit(2);
    }
    Optional<ProcessHandle> parent = ProcessHandle.of(Long.parseLong(args[0]));
    Thread watch =
        new Thread(
            () -> {
              while (parent.map(ProcessHandle::isAlive).orElse(false)) {
                try {
                  Thread.sleep(CHECK_EVERY_MILLIS);
                } catch (InterruptedException e) {
                  return;
                }
              }
              System.err.println("ParentWatchdog: parent " + args[0] + " is gone; stopping");
              // halt, not exit: the server's own shutdown may wait on things that will not come.
              Runtime.getRuntime().halt(1);
            },
            "parent-watchdog");
    watch.setDaemon(true);
    watch.start();
    Method main = Class.forName(args[1]).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
