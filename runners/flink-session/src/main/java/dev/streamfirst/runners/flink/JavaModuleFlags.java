package dev.streamfirst.runners.flink;

import java.util.List;

/**
 * The module flags Flink 1.19 needs on Java 17: its RPC system, serializers and memory management
 * reach into JDK internals that the module system closes by default. Flink's own start scripts pass
 * the same kind of list; without it a TaskManager fails at the first Kryo copy or direct buffer.
 */
public final class JavaModuleFlags {
  private static final List<String> FLAGS =
      List.of(
          "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");

  private JavaModuleFlags() {}

  /** The {@code --add-opens} and {@code --add-exports} flags, one per element. */
  public static List<String> forFlink() {
    return FLAGS;
  }
}
