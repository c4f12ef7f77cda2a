package dev.ddbwarehouse.backfill.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackfillPlanTest {

  @Test
  void estimatesCopyAndProcessingFromTheRates() {
    BackfillPlan plan = new BackfillPlan(3_600_000, 3_600_000_000L, 1_000, 2_000);

    assertThat(plan.copy()).isEqualTo(Duration.ofHours(1));
    assertThat(plan.processing()).isEqualTo(Duration.ofMinutes(30));
    assertThat(plan.averageItemBytes()).isEqualTo(1000);
    assertThat(plan.exceedsRetention()).isFalse();
    assertThat(plan.warnings()).isEmpty();
  }

  @Test
  void warnsWhenCopyPlusProcessingOutlastsTheStreamsRetention() {
    BackfillPlan plan = new BackfillPlan(100_000_000, 0, 1_000, 2_000);

    assertThat(plan.exceedsRetention()).isTrue();
    assertThat(plan.warnings().get(0))
        .startsWith("WARNING")
        .contains("24-hour retention")
        .contains("41h 40m 00s");
  }

  @Test
  void notesABacklogWhenCopyingFasterThanTheFunctionProcesses() {
    assertThat(new BackfillPlan(1_000, 0, 5_000, 2_000).warnings())
        .anyMatch(w -> w.contains("IteratorAge"));
  }
}
