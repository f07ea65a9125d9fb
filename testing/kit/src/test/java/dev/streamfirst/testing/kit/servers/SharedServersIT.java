package dev.streamfirst.testing.kit.servers;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;

import dev.streamfirst.testing.servers.postgres.PostgresServer;
import dev.streamfirst.testing.servers.redis.RedisServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.ClassRule;
import org.junit.Test;

/** The rules over real servers: PostgreSQL and Redis answer, and the instance is the JVM's. */
public class SharedServersIT {
  @ClassRule
  public static final SharedServer<PostgresServer> POSTGRES = SharedServer.of(PostgresServer.class);

  @ClassRule
  public static final SharedServer<RedisServer> REDIS = SharedServer.of(RedisServer.class);

  @Test
  public void postgres_answersInAFreshDatabase() throws Exception {
    String database = POSTGRES.get().createDatabase("kit_it");
    try (Connection connection = POSTGRES.get().connect(database);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT current_database()")) {
      result.next();
      assertEquals(database, result.getString(1));
    }
    assertSame(PostgresServer.shared(), POSTGRES.get());
  }

  @Test
  public void redis_answersPing() throws Exception {
    try (Socket socket = new Socket(REDIS.get().host(), REDIS.get().port())) {
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      assertEquals("+PONG", in.readLine());
    }
    assertSame(RedisServer.shared(), REDIS.get());
  }
}
