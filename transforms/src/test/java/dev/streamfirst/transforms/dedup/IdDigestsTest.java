package dev.streamfirst.transforms.dedup;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;

public class IdDigestsTest {
  private final IdDigests.Digester digester = new IdDigests.Digester();

  @Test
  public void remembersEachIdsValue_andNothingForOthers() {
    IdDigests ids = new IdDigests();
    ids.put(digester.of("a"), 10);
    ids.put(digester.of("b"), 20);
    ids.put(digester.of("a"), 30);

    assertEquals(2, ids.size());
    assertEquals(30, ids.get(digester.of("a")));
    assertEquals(20, ids.get(digester.of("b")));
    assertEquals(IdDigests.ABSENT, ids.get(digester.of("c")));
    assertEquals(IdDigests.ABSENT, new IdDigests().get(digester.of("a")));
  }

  @Test
  public void manyIds_growTheTable_andEachKeepsItsValue() {
    IdDigests ids = new IdDigests();
    for (int i = 0; i < 10_000; i++) {
      ids.put(digester.of("event-" + i), i);
    }
    assertEquals(10_000, ids.size());
    for (int i = 0; i < 10_000; i++) {
      assertEquals(i, ids.get(digester.of("event-" + i)));
    }
    assertEquals(IdDigests.ABSENT, ids.get(digester.of("event-10000")));
    assertEquals(0, ids.minValue());
  }

  @Test
  public void removeIf_forgetsOnlyTheMatching_andTheRestStayFindable() {
    IdDigests ids = new IdDigests();
    for (int i = 0; i < 1_000; i++) {
      ids.put(digester.of("event-" + i), i);
    }
    ids.removeIf(value -> value < 900);

    assertEquals(100, ids.size());
    assertEquals(900, ids.minValue());
    for (int i = 0; i < 1_000; i++) {
      assertEquals(i < 900 ? IdDigests.ABSENT : i, ids.get(digester.of("event-" + i)));
    }
    ids.put(digester.of("event-1"), 5);
    assertEquals(5, ids.minValue());

    ids.removeIf(value -> true);
    assertTrue(ids.isEmpty());
    assertEquals(Long.MAX_VALUE, ids.minValue());
  }

  @Test
  public void coder_roundTripsEveryIdAndValue() throws Exception {
    IdDigests ids = new IdDigests();
    for (int i = 0; i < 500; i++) {
      ids.put(digester.of("event-" + i), Long.MAX_VALUE - i);
    }
    IdDigests copy = CoderUtils.clone(IdDigests.IdDigestsCoder.of(), ids);

    assertEquals(500, copy.size());
    for (int i = 0; i < 500; i++) {
      assertEquals(Long.MAX_VALUE - i, copy.get(digester.of("event-" + i)));
    }
    assertTrue(CoderUtils.clone(IdDigests.IdDigestsCoder.of(), new IdDigests()).isEmpty());
    // 24 bytes an id, after the count.
    assertEquals(
        2 + 500 * 24, CoderUtils.encodeToByteArray(IdDigests.IdDigestsCoder.of(), ids).length);
  }

  @Test
  public void coder_refusesWhatIsNotItsEncoding() throws IOException {
    ByteArrayOutputStream negative = new ByteArrayOutputStream();
    org.apache.beam.sdk.coders.VarIntCoder.of().encode(-5, negative);
    assertThrows(
        IOException.class,
        () ->
            IdDigests.IdDigestsCoder.of().decode(new ByteArrayInputStream(negative.toByteArray())));
    ByteArrayOutputStream truncated = new ByteArrayOutputStream();
    org.apache.beam.sdk.coders.VarIntCoder.of().encode(3, truncated);
    truncated.write(new byte[30]);
    assertThrows(
        IOException.class,
        () ->
            IdDigests.IdDigestsCoder.of()
                .decode(new ByteArrayInputStream(truncated.toByteArray())));
  }
}
