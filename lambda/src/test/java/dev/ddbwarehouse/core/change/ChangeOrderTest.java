package dev.ddbwarehouse.core.change;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.core.policy.MappingDocument;
import dev.ddbwarehouse.core.table.RowKey;
import dev.ddbwarehouse.core.table.TableRow;
import dev.ddbwarehouse.core.table.TableSpec;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeOrderTest {

  private static final String LIVE = "arn:live";
  private static final String SHADOW = "arn:shadow";
  private static final TableSpec TABLE =
      MappingDocument.defaults().table("transactions").orElseThrow();
  private static final RowKey KEY = RowKey.of("t");

  private static RecordMeta meta(String stream, long seq) {
    return new RecordMeta("e" + seq, "MODIFY", Long.toString(seq), stream, null);
  }

  /** An upsert whose row carries only the version: the order looks at nothing else. */
  private static Change.Upsert image(String stream, long seq, String version) {
    Instant v = Instant.parse(version);
    TableRow row =
        new TableRow(TABLE, KEY, v, "updatedAt", "v1", new String[0], new String[0], List.of());
    return new Change.Upsert(meta(stream, seq), BigInteger.valueOf(seq), row, List.of());
  }

  private static Change.Delete delete(String stream, long seq, String version) {
    Instant v = Instant.parse(version);
    return new Change.Delete(meta(stream, seq), BigInteger.valueOf(seq), TABLE, KEY, v, v);
  }

  @Test
  void withinAStreamTheLaterSequenceNumberWinsWhateverTheVersions() {
    assertThat(
            ChangeOrder.replaces(
                delete(LIVE, 2, "2026-01-01T10:00:00Z"),
                image(LIVE, 1, "2026-01-01T10:00:00.700Z")))
        .isTrue();
    assertThat(
            ChangeOrder.replaces(
                image(LIVE, 3, "2026-01-01T09:00:00Z"), image(LIVE, 2, "2026-01-01T10:00:00Z")))
        .isTrue();
    assertThat(
            ChangeOrder.replaces(
                image(LIVE, 1, "2026-01-02T00:00:00Z"), delete(LIVE, 2, "2026-01-01T00:00:00Z")))
        .as("a replayed earlier record")
        .isFalse();
  }

  @Test
  void acrossStreamsAnImageNeedsAStrictlyNewerVersion() {
    assertThat(
            ChangeOrder.replaces(
                image(SHADOW, 1, "2026-01-01T10:00:00Z"), image(LIVE, 9, "2026-01-01T10:00:00Z")))
        .isFalse();
    assertThat(
            ChangeOrder.replaces(
                image(SHADOW, 1, "2026-01-01T10:00:01Z"), image(LIVE, 9, "2026-01-01T10:00:00Z")))
        .isTrue();
    assertThat(
            ChangeOrder.replaces(
                image(SHADOW, 1, "2026-01-01T10:00:00Z"), delete(LIVE, 9, "2026-01-01T10:00:00Z")))
        .as("an image as old as the delete does not revive the item")
        .isFalse();
  }

  @Test
  void acrossStreamsADeleteWinsOverImagesNotNewerThanItAndNeverReplacesADelete() {
    assertThat(
            ChangeOrder.replaces(
                delete(LIVE, 9, "2026-01-01T10:00:00Z"), image(SHADOW, 1, "2026-01-01T10:00:00Z")))
        .isTrue();
    assertThat(
            ChangeOrder.replaces(
                delete(LIVE, 9, "2026-01-01T10:00:00Z"), image(SHADOW, 1, "2026-01-01T10:00:01Z")))
        .isFalse();
    assertThat(
            ChangeOrder.replaces(
                delete(LIVE, 9, "2026-01-02T00:00:00Z"), delete(SHADOW, 1, "2026-01-01T00:00:00Z")))
        .isFalse();
  }

  @Test
  void aDeleteCoversTheWholeSecondDynamoDbStampedItWith() {
    Instant acdt = Instant.parse("2026-01-01T10:00:00Z");

    assertThat(ChangeOrder.deleteVersion(null, acdt))
        .isEqualTo(Instant.parse("2026-01-01T10:00:00.999999Z"));
    assertThat(ChangeOrder.deleteVersion(Instant.parse("2026-01-01T10:00:00.700Z"), acdt))
        .isEqualTo(Instant.parse("2026-01-01T10:00:00.999999Z"));
    assertThat(ChangeOrder.deleteVersion(Instant.parse("2026-01-01T10:00:05Z"), acdt))
        .as("an application clock ahead of DynamoDB's")
        .isEqualTo(Instant.parse("2026-01-01T10:00:05Z"));
    assertThat(ChangeOrder.deleteVersion(null, Instant.parse("2026-01-01T10:00:00.250Z")))
        .as("a sub-second stamp is taken as it is")
        .isEqualTo(Instant.parse("2026-01-01T10:00:00.250Z"));
  }
}
