package dev.streamfirst.io.postgres;

import dev.streamfirst.io.SecretReferences;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A pooled data source made on the worker, from settings that may hold secret references ({@code
 * ${env:..}}, {@code ${file:..}}): they are resolved only here, so what is serialized with the
 * pipeline holds the references, not the secrets. One pool per JVM and settings, as JdbcIO's own
 * provider keeps.
 */
final class WorkerDataSource implements SerializableFunction<Void, DataSource> {
  private static final Map<String, DataSource> POOLS = new ConcurrentHashMap<>();

  private final String driver;
  private final String url;
  private final @Nullable String user;
  private final @Nullable String password;

  WorkerDataSource(String driver, String url, @Nullable String user, @Nullable String password) {
    this.driver = driver;
    this.url = url;
    this.user = user;
    this.password = password;
  }

  @Override
  public DataSource apply(Void input) {
    // Keyed by the unresolved settings: a reference, not a secret, stays in the map's keys.
    String key = driver + "\n" + url + "\n" + user + "\n" + password;
    return POOLS.computeIfAbsent(key, k -> open());
  }

  private DataSource open() {
    JdbcIO.DataSourceConfiguration configuration =
        JdbcIO.DataSourceConfiguration.create(driver, SecretReferences.resolveInUrl(url));
    if (user != null) {
      configuration = configuration.withUsername(SecretReferences.resolve(user));
    }
    if (password != null) {
      configuration = configuration.withPassword(SecretReferences.resolve(password));
    }
    return JdbcIO.PoolableDataSourceProvider.of(configuration).apply(null);
  }

  @Override
  public String toString() {
    return "WorkerDataSource{url=" + url + ", user=" + user + "}";
  }
}
