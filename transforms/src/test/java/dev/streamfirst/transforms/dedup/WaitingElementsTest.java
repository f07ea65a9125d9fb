package dev.streamfirst.transforms.dedup;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;

public class WaitingElementsTest {
  private final IdDigests.Digester digester = new IdDigests.Digester();

  private void add(WaitingElements waiting, long time, String element) {
    waiting.add(time, digester.of("id-" + element), element.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> elements(WaitingElements waiting, int[] indexes) {
    List<String> out = new ArrayList<>();
    for (int i : indexes) {
      out.add(new String(waiting.encoding(i), StandardCharsets.UTF_8));
    }
    return out;
  }

  private static int[] all(WaitingElements waiting) {
    return waiting.inDecidingOrder(time -> true);
  }

  @Test
  public void decidingOrder_isByTime_thenByEncoding_andOnlyTheReady() {
    WaitingElements waiting = new WaitingElements();
    add(waiting, 300, "late");
    add(waiting, 100, "b");
    add(waiting, 100, "a");
    add(waiting, 200, "c");
    add(waiting, 100, "ab");

    assertEquals(List.of("a", "ab", "b", "c", "late"), elements(waiting, all(waiting)));
    assertEquals(List.of("a", "ab", "b"), elements(waiting, waiting.inDecidingOrder(t -> t < 200)));
    int first = waiting.inDecidingOrder(t -> t < 200)[0];
    assertEquals(100, waiting.time(first));
    assertEquals(digester.of("id-a"), waiting.id(first));
  }

  @Test
  public void manyElements_growTheArrays_andKeepTheirBytes() {
    WaitingElements waiting = new WaitingElements();
    for (int i = 0; i < 1_000; i++) {
      add(waiting, i, "element-" + (char) ('a' + i % 26) + i);
    }
    assertEquals(1_000, waiting.size());
    for (int i = 0; i < 1_000; i++) {
      assertEquals(
          "element-" + (char) ('a' + i % 26) + i,
          new String(waiting.encoding(i), StandardCharsets.UTF_8));
      assertEquals(i, waiting.time(i));
    }
  }

  @Test
  public void retainIf_keepsTheRestInArrivalOrder_withTheirTimesIdsAndBytes() {
    WaitingElements waiting = new WaitingElements();
    add(waiting, 5, "five");
    add(waiting, 1, "one");
    add(waiting, 7, "seven");
    add(waiting, 2, "two");
    waiting.retainIf(time -> time > 2);

    assertEquals(2, waiting.size());
    assertEquals(5, waiting.time(0));
    assertEquals(7, waiting.time(1));
    assertEquals(digester.of("id-seven"), waiting.id(1));
    assertArrayEquals("seven".getBytes(StandardCharsets.UTF_8), waiting.encoding(1));
    add(waiting, 3, "three");
    assertEquals(List.of("three", "five", "seven"), elements(waiting, all(waiting)));

    waiting.retainIf(time -> false);
    assertTrue(waiting.isEmpty());
    add(waiting, 9, "nine");
    assertEquals(List.of("nine"), elements(waiting, all(waiting)));
  }

  @Test
  public void coder_roundTripsTimesIdsAndBytes() throws Exception {
    WaitingElements waiting = new WaitingElements();
    for (int i = 0; i < 100; i++) {
      add(waiting, 1_000 - i, "e" + i);
    }
    add(waiting, Long.MIN_VALUE, "");
    WaitingElements copy = CoderUtils.clone(WaitingElements.WaitingElementsCoder.of(), waiting);

    assertEquals(101, copy.size());
    for (int i = 0; i < 100; i++) {
      assertEquals(1_000 - i, copy.time(i));
      assertEquals(digester.of("id-e" + i), copy.id(i));
      assertEquals("e" + i, new String(copy.encoding(i), StandardCharsets.UTF_8));
    }
    assertEquals(Long.MIN_VALUE, copy.time(100));
    assertEquals(0, copy.encoding(100).length);
    add(copy, 1, "after");
    assertEquals("after", new String(copy.encoding(101), StandardCharsets.UTF_8));
    assertTrue(
        CoderUtils.clone(WaitingElements.WaitingElementsCoder.of(), new WaitingElements())
            .isEmpty());
  }

  @Test
  public void coder_refusesWhatIsNotItsEncoding() throws IOException {
    ByteArrayOutputStream negative = new ByteArrayOutputStream();
    VarIntCoder.of().encode(-1, negative);
    assertThrows(IOException.class, () -> decode(negative.toByteArray()));

    ByteArrayOutputStream truncated = new ByteArrayOutputStream();
    VarIntCoder.of().encode(2, truncated);
    truncated.write(new byte[20]);
    assertThrows(IOException.class, () -> decode(truncated.toByteArray()));

    // Ends that go backwards.
    WaitingElements waiting = new WaitingElements();
    add(waiting, 1, "abc");
    add(waiting, 2, "d");
    byte[] encoded =
        CoderUtils.encodeToByteArray(WaitingElements.WaitingElementsCoder.of(), waiting);
    int endsAt = 1 + 3 * 2 * Long.BYTES;
    encoded[endsAt + Integer.BYTES] = 1; // the second element would end at 1, before the first
    assertThrows(IOException.class, () -> decode(encoded));
  }

  private static WaitingElements decode(byte[] bytes) throws IOException {
    return WaitingElements.WaitingElementsCoder.of().decode(new ByteArrayInputStream(bytes));
  }
}
