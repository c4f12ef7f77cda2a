package dev.ddbwarehouse.backfill.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbwarehouse.backfill.BackfillException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class CheckpointFileTest {

  @TempDir Path dir;

  private Path file() {
    return CheckpointFile.defaultPath(dir, "tx", "tx-backfill");
  }

  @Test
  void resumeContinuesFromEachSegmentsLastEvaluatedKey() {
    CheckpointFile cp = CheckpointFile.start(file(), "tx", "tx-backfill", 2);
    Map<String, AttributeValue> key =
        Map.of(
            "pk",
            AttributeValue.fromS("t-1"),
            "sk",
            AttributeValue.fromN("42"),
            "bin",
            AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {1, 2, 3})));
    cp.pageWritten(0, key, 100);
    cp.pageWritten(1, Map.of(), 30);

    CheckpointFile resumed = CheckpointFile.resume(file(), "tx", "tx-backfill", 2);

    assertThat(resumed.segment(0)).isEqualTo(new SegmentState(0, false, key, 100));
    assertThat(resumed.segment(1).done()).isTrue();
    assertThat(resumed.itemsCopied()).isEqualTo(130);
    assertThat(resumed.complete()).isFalse();
  }

  @Test
  void isReadableByItsOwnerOnly() throws Exception {
    CheckpointFile.start(file(), "tx", "tx-backfill", 1);

    assertThat(Files.getPosixFilePermissions(file()))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void aNewRunRefusesToOverwriteAnUnfinishedOne() {
    CheckpointFile.start(file(), "tx", "tx-backfill", 1)
        .pageWritten(0, Map.of("pk", AttributeValue.fromS("a")), 5);

    assertThatThrownBy(() -> CheckpointFile.start(file(), "tx", "tx-backfill", 1))
        .isInstanceOf(BackfillException.Refused.class)
        .hasMessageContaining("--resume");
  }

  @Test
  void resumeRefusesAnotherCopyOrSegmentCount() {
    CheckpointFile.start(file(), "tx", "tx-backfill", 4);

    assertThatThrownBy(() -> CheckpointFile.resume(file(), "tx", "tx-backfill", 8))
        .hasMessageContaining("--segments 4");
    assertThatThrownBy(() -> CheckpointFile.resume(file(), "other", "tx-backfill", 4))
        .hasMessageContaining("from tx to tx-backfill");
    assertThatThrownBy(
            () -> CheckpointFile.resume(dir.resolve("none.json"), "tx", "tx-backfill", 4))
        .hasMessageContaining("no checkpoint");
  }
}
