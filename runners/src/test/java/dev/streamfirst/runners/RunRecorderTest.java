package dev.streamfirst.runners;

import static org.junit.Assert.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.Test;

public class RunRecorderTest {
  @Test
  public void options_haveSecretsMasked_byNameAndInsideUris() {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("sink", "jdbc:postgresql://db:5432/m?table=t&user=w&password=hunter2");
    options.put("deadLetter", "redis://:hunter2@cache:6379");
    options.put("kafkaSaslJaasConfig", "org.apache...required password=\"hunter2\";");
    options.put("window", "fixed:1m");

    Map<String, String> masked = RunRecorder.masked(options);

    assertEquals("jdbc:postgresql://db:5432/m?table=t&user=w&password=*****", masked.get("sink"));
    assertEquals("redis://*****@cache:6379", masked.get("deadLetter"));
    assertEquals("*****", masked.get("kafkaSaslJaasConfig"));
    assertEquals("fixed:1m", masked.get("window"));
  }
}
