package dev.ddbwarehouse.backfill.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WarehouseComparisonTest {

  private static final Instant V1 = Instant.parse("2026-09-01T10:00:00Z");
  private static final Instant V2 = Instant.parse("2026-09-02T10:00:00Z");

  @Test
  void judgesEachItemAgainstItsWarehouseRow() {
    assertThat(
            WarehouseComparison.judge(
                Optional.of(V1), new WarehouseComparison.Row(V1, false), false))
        .isEqualTo(Verdict.PRESENT);
    assertThat(
            WarehouseComparison.judge(
                Optional.of(V1), new WarehouseComparison.Row(V2, false), false))
        .as("a live update newer than the copied image")
        .isEqualTo(Verdict.PRESENT);
    assertThat(
            WarehouseComparison.judge(
                Optional.of(V2), new WarehouseComparison.Row(V1, false), false))
        .isEqualTo(Verdict.OUTDATED);
    assertThat(
            WarehouseComparison.judge(
                Optional.of(V1), new WarehouseComparison.Row(V1, true), false))
        .isEqualTo(Verdict.DELETED_SINCE);
    assertThat(WarehouseComparison.judge(Optional.of(V1), null, true))
        .isEqualTo(Verdict.QUARANTINED);
    assertThat(WarehouseComparison.judge(Optional.of(V1), null, false)).isEqualTo(Verdict.MISSING);
    assertThat(
            WarehouseComparison.judge(
                Optional.empty(), new WarehouseComparison.Row(V1, false), false))
        .as("no usable version: presence is enough")
        .isEqualTo(Verdict.PRESENT);
  }
}
