package dev.streamfirst.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.streamfirst.io.file.FileSource;
import dev.streamfirst.io.generator.GenerateEvents;
import dev.streamfirst.io.pubsub.PubsubSource;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class SourcesTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static IllegalArgumentException refused(String uri) {
    return assertThrows(IllegalArgumentException.class, () -> Sources.read(uri));
  }

  @Test
  public void unknownScheme_namesItAndShowsExamples() {
    IllegalArgumentException e = refused("fil:///tmp/x");

    assertThat(e.getMessage(), containsString("unknown source scheme 'fil' in 'fil:///tmp/x'"));
    assertThat(e.getMessage(), containsString("file:///abs/dir/or/glob"));
    assertThat(e.getMessage(), containsString("generator://events?count=1000"));
    assertThat(e.getMessage(), containsString("kafka://localhost:9092/events"));
    assertThat(e.getMessage(), containsString("pubsub://projects/"));
  }

  @Test
  public void sinkOnlyScheme_isNotASource() {
    IllegalArgumentException e = refused("console://");

    assertThat(e.getMessage(), containsString("unknown source scheme 'console'"));
  }

  @Test
  public void pathWithoutScheme_isRefusedWithTheFileForm() {
    IllegalArgumentException e = refused("/data/in/*.jsonl");

    assertThat(e.getMessage(), containsString("missing scheme in '/data/in/*.jsonl'"));
    assertThat(e.getMessage(), containsString("file:///data/in/*.jsonl"));
  }

  @Test
  public void relativeFilePath_isRefused() {
    IllegalArgumentException e = refused("file:data/in");

    assertThat(e.getMessage(), containsString("relative path 'data/in' in 'file:data/in'"));
    assertThat(e.getMessage(), containsString("file:///abs/dir/or/glob"));
  }

  @Test
  public void fileUriWithTwoSlashes_isRefusedAsAHost() {
    IllegalArgumentException e = refused("file://data/in");

    assertThat(e.getMessage(), containsString("names host 'data'"));
    assertThat(e.getMessage(), containsString("file:///data/in"));
  }

  @Test
  public void emptyFilePath_isRefused() {
    IllegalArgumentException e = refused("file://");

    assertThat(e.getMessage(), containsString("has no path"));
  }

  @Test
  public void nullUri_isRefused() {
    IllegalArgumentException e = refused(null);

    assertThat(e.getMessage(), containsString("a URI is required"));
    assertThat(e.getMessage(), containsString("file:///abs/dir/or/glob"));
  }

  @Test
  public void badGeneratorParameter_isRefusedAtRead() {
    IllegalArgumentException e = refused("generator://events?count=10&duplicates=2");

    assertThat(e.getMessage(), containsString("'duplicates'"));
    assertThat(e.getMessage(), containsString("e.g. generator://events?count=1000"));
  }

  @Test
  public void fileDirectory_readsFilesInIt() throws Exception {
    String dir = tmp.newFolder("in").getAbsolutePath();

    FileSource source = (FileSource) Sources.read("file://" + dir);

    assertEquals(dir + "/*", source.filePattern());
  }

  @Test
  public void fileGlob_isKeptAsPattern() {
    FileSource source = (FileSource) Sources.read("file:///data/in/*.jsonl");

    assertEquals("/data/in/*.jsonl", source.filePattern());
  }

  @Test
  public void generator_givesGenerateEvents() {
    assertThat(Sources.read("generator://events?count=5"), instanceOf(GenerateEvents.class));
  }

  @Test
  public void pubsubSubscription_givesPubsubSource() {
    assertThat(
        Sources.read("pubsub://projects/my-project/subscriptions/events"),
        instanceOf(PubsubSource.class));
  }

  @Test
  public void pubsubTopic_isNotASource() {
    IllegalArgumentException e = refused("pubsub://projects/my-project/topics/events");

    assertThat(e.getMessage(), containsString("reads a subscription"));
  }
}
