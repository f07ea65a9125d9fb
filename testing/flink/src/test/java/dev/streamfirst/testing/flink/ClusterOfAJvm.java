package dev.streamfirst.testing.flink;

/**
 * A JVM that starts the shared cluster, prints its process ids and exits normally: what a test JVM
 * does, so that a test can see what is left after it.
 */
public final class ClusterOfAJvm {
  private ClusterOfAJvm() {}

  public static void main(String[] args) {
    FlinkTestCluster cluster = FlinkTestCluster.shared();
    System.out.println("pids=" + cluster.pids().get(0) + "," + cluster.pids().get(1));
    System.out.println("home=" + cluster.session().home());
  }
}
