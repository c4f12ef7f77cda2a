package dev.ddbwarehouse.local.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShardLineageTest {

  private static ShardLineage.Shard shard(String id, String parent) {
    return new ShardLineage.Shard(id, parent);
  }

  @Test
  void childrenOfASplitWaitUntilTheirParentIsFinished() {
    ShardLineage lineage = new ShardLineage();
    lineage.observe(List.of(shard("s1", null), shard("s1a", "s1"), shard("s1b", "s1")));

    assertThat(lineage.readable()).containsExactly("s1");

    lineage.markFinished("s1");

    assertThat(lineage.readable()).containsExactly("s1a", "s1b");
  }

  @Test
  void grandchildWaitsForItsOwnParentNotOnlyForTheRoot() {
    ShardLineage lineage = new ShardLineage();
    lineage.observe(
        List.of(shard("s1", null), shard("s2", "s1"), shard("s3", "s2"), shard("t1", null)));

    lineage.markFinished("s1");

    assertThat(lineage.readable()).as("s3 must wait for s2").containsExactly("t1", "s2");

    lineage.markFinished("s2");

    assertThat(lineage.readable()).containsExactly("t1", "s3");
  }

  @Test
  void shardWhoseParentWasTrimmedIsReadable() {
    ShardLineage lineage = new ShardLineage();
    lineage.observe(List.of(shard("s7", "s6-trimmed"), shard("s8", "s7")));

    assertThat(lineage.readable()).containsExactly("s7");
  }

  @Test
  void olderGenerationsComeFirstWhenSeveralAreReadable() {
    ShardLineage lineage = new ShardLineage();
    lineage.observe(List.of(shard("a", null), shard("b", "a"), shard("z", null)));
    lineage.markFinished("a");
    lineage.observe(List.of(shard("c", null)));

    assertThat(lineage.readable()).containsExactly("c", "z", "b");
  }

  @Test
  void shardsSeenAgainInLaterDescriptionsAreNotDuplicatedAndStayFinished() {
    ShardLineage lineage = new ShardLineage();
    lineage.observe(List.of(shard("s1", null)));
    lineage.markFinished("s1");

    lineage.observe(List.of(shard("s1", null), shard("s2", "s1")));

    assertThat(lineage.readable()).containsExactly("s2");
    assertThat(lineage.unfinishedCount()).isEqualTo(1);
  }

  @Test
  void finishingAnUnknownShardIsRefused() {
    ShardLineage lineage = new ShardLineage();

    assertThatThrownBy(() -> lineage.markFinished("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope");
  }
}
