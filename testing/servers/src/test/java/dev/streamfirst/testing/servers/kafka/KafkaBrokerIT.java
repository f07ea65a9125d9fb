package dev.streamfirst.testing.servers.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.Test;

public class KafkaBrokerIT {

  @Test
  public void sharedBroker_isStartedOnceAndRoundTripsRecords() {
    KafkaBroker broker = KafkaBroker.shared();
    assertTrue(KafkaBroker.shared() == broker);
    assertThat(broker.bootstrapServers(), startsWith("127.0.0.1:"));

    String topic = broker.createTopic("round-trip", 2);
    broker.send(
        topic,
        List.of(
            new ProducerRecord<>(topic, 0, 1000L, "a", "first"),
            new ProducerRecord<>(topic, 1, 2000L, "b", "second"),
            new ProducerRecord<>(topic, 0, 3000L, "a", "third")));

    List<ConsumerRecord<String, String>> records = broker.readAll(topic);
    assertEquals(3, records.size());
    assertEquals(
        List.of("first", "third", "second"), records.stream().map(r -> r.value()).toList());
    assertEquals(3000L, records.get(1).timestamp());
    assertEquals("b", records.get(2).key());
  }

  @Test
  public void topics_keepRecordsOfAnyAge() throws Exception {
    KafkaBroker kafka = KafkaBroker.shared();
    String topic = kafka.createTopic("retention", 1);
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);

    try (Admin admin =
        Admin.create(
            Map.<String, Object>of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);

      assertEquals("-1", config.get(TopicConfig.RETENTION_MS_CONFIG).value());
    }
  }

  @Test
  public void topics_areUniquePerCall() {
    KafkaBroker broker = KafkaBroker.shared();
    assertNotEquals(broker.createTopic("same", 1), broker.createTopic("same", 1));
  }

  @Test
  public void ownBroker_stopsAndRemovesItsData() throws Exception {
    KafkaBroker broker = KafkaBroker.start();
    String[] hostPort = broker.bootstrapServers().split(":");
    Path log = broker.logFile();
    assertTrue(Files.exists(log));
    assertThat(Files.readString(log), containsString("Kafka Server started"));

    broker.close();
    broker.close();

    assertFalse(Files.exists(log.getParent()));
    assertThrows(
        IOException.class,
        () -> {
          try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 500);
          }
        });
  }

  @Test
  public void missingClasspathFile_isNamedWithTheFix() {
    String before = System.getProperty(KafkaBroker.CLASSPATH_PROPERTY);
    System.setProperty(KafkaBroker.CLASSPATH_PROPERTY, "/no/such/kafka.jar");
    try {
      IllegalStateException e =
          assertThrows(IllegalStateException.class, KafkaBroker::brokerClasspath);
      assertThat(e.getMessage(), containsString("/no/such/kafka.jar"));
      assertThat(e.getMessage(), containsString("mvn -B verify"));
    } finally {
      if (before == null) {
        System.clearProperty(KafkaBroker.CLASSPATH_PROPERTY);
      } else {
        System.setProperty(KafkaBroker.CLASSPATH_PROPERTY, before);
      }
    }
  }
}
