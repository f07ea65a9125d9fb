package dev.streamfirst.runners.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * "Hosts" on this one machine: a Linux network namespace each, with its own address on a private
 * subnet, joined by veth pairs to a bridge in the machine's own namespace (which has the subnet's
 * first address, so the test JVM reaches every host and they reach each other). Processes started
 * under {@link #exec} see only their host's address and its loopback. Needs root; everything is
 * named with {@value #PREFIX}, and {@link #create} first removes what a killed run left behind.
 *
 * <pre>{@code
 * try (NetworkNamespaces hosts = NetworkNamespaces.create(Map.of("jm", 10, "tm1", 11))) {
 *   new ProcessBuilder(hosts.exec("jm", "java", "-version")).start();
 *   hosts.cut("tm1");
 * }
 * }</pre>
 */
final class NetworkNamespaces implements AutoCloseable {
  static final String PREFIX = "sfmh-";
  static final String SUBNET = "10.213.0";
  static final String BRIDGE = PREFIX + "br0";

  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

  private final Map<String, String> addresses;

  private NetworkNamespaces(Map<String, String> addresses) {
    this.addresses = addresses;
  }

  /** Whether this JVM may create namespaces: it runs as root. */
  static boolean permitted() {
    return "root".equals(System.getProperty("user.name"));
  }

  /**
   * Creates one namespace per host name (at most 9 characters), with address {@code
   * 10.213.0.<octet>}.
   */
  static NetworkNamespaces create(Map<String, Integer> hosts) throws IOException {
    removeLeftovers();
    Map<String, String> addresses = new LinkedHashMap<>();
    NetworkNamespaces network = new NetworkNamespaces(addresses);
    try {
      run("ip", "link", "add", BRIDGE, "type", "bridge");
      run("ip", "addr", "add", SUBNET + ".1/24", "dev", BRIDGE);
      run("ip", "link", "set", BRIDGE, "up");
      for (Map.Entry<String, Integer> host : hosts.entrySet()) {
        String name = host.getKey();
        if (!name.matches("[a-z0-9]{1,9}")) {
          throw new IllegalArgumentException("host names are 1-9 letters or digits: " + name);
        }
        String namespace = PREFIX + name;
        String address = SUBNET + "." + host.getValue();
        run("ip", "netns", "add", namespace);
        addresses.put(name, address);
        run(
            "ip",
            "link",
            "add",
            namespace,
            "type",
            "veth",
            "peer",
            "name",
            namespace + "-n",
            "netns",
            namespace);
        run("ip", "link", "set", namespace, "master", BRIDGE);
        run("ip", "link", "set", namespace, "up");
        run("ip", "-n", namespace, "addr", "add", address + "/24", "dev", namespace + "-n");
        run("ip", "-n", namespace, "link", "set", namespace + "-n", "up");
        run("ip", "-n", namespace, "link", "set", "lo", "up");
      }
    } catch (IOException | RuntimeException e) {
      network.close();
      throw e;
    }
    return network;
  }

  /** The host's address, e.g. {@code 10.213.0.11}. */
  String address(String host) {
    String address = addresses.get(host);
    if (address == null) {
      throw new IllegalArgumentException("no host " + host + " in " + addresses.keySet());
    }
    return address;
  }

  /** The command line that runs {@code command} on the host (in its namespace). */
  List<String> exec(String host, List<String> command) {
    address(host);
    List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", PREFIX + host));
    line.addAll(command);
    return line;
  }

  /** Unplugs the host's cable: its link to the bridge goes down, nothing gets in or out. */
  void cut(String host) throws IOException {
    address(host);
    run("ip", "link", "set", PREFIX + host, "down");
  }

  /** Plugs the host's cable in again. */
  void restore(String host) throws IOException {
    address(host);
    run("ip", "link", "set", PREFIX + host, "up");
  }

  /** Ends whatever still runs in the namespaces, then removes them and the bridge. */
  @Override
  public void close() throws IOException {
    removeLeftovers();
  }

  private static void removeLeftovers() throws IOException {
    for (String namespace : output("ip", "netns", "list").lines().toList()) {
      String name = namespace.split("\\s+")[0];
      if (!name.startsWith(PREFIX)) {
        continue;
      }
      // Only processes this test started run there (a broker, JobManager or TaskManager).
      for (String pid : output("ip", "netns", "pids", name).lines().toList()) {
        ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
      }
      run("ip", "netns", "del", name);
    }
    for (String line : output("ip", "-o", "link", "show").lines().toList()) {
      String[] fields = line.split(":\\s+");
      if (fields.length > 1 && fields[1].startsWith(PREFIX)) {
        String link = fields[1].replaceFirst("@.*", "");
        // A veth goes with its namespace, a moment later; the bridge stays until removed.
        exitCode("ip", "link", "del", link);
      }
    }
  }

  private static void run(String... command) throws IOException {
    Result result = execute(command);
    if (result.exit != 0) {
      throw new IOException(
          String.join(" ", command) + " failed (exit " + result.exit + "): " + result.output);
    }
  }

  private static String output(String... command) throws IOException {
    Result result = execute(command);
    if (result.exit != 0) {
      throw new IOException(
          String.join(" ", command) + " failed (exit " + result.exit + "): " + result.output);
    }
    return result.output;
  }

  private static int exitCode(String... command) throws IOException {
    return execute(command).exit;
  }

  private record Result(int exit, String output) {}

  private static Result execute(String... command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish in " + COMMAND_TIMEOUT);
      }
      return new Result(process.exitValue(), output.trim());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + String.join(" ", command), e);
    }
  }
}
