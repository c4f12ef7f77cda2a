package dev.ddbwarehouse.backfill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CopyBarTest {

  private final StringWriter printed = new StringWriter();
  private final AtomicLong written = new AtomicLong();

  private CopyBar bar(long expected) {
    return new CopyBar(new PrintWriter(printed, true), written::get, expected);
  }

  @Test
  void totalGrowsWhenTheCopyPassesTheEstimateAndNothingMovesBack() {
    long lastMax = 0;
    long lastCurrent = 0;
    try (CopyBar bar = bar(100)) {
      for (long done : new long[] {0, 40, 100, 130, 120, 250}) {
        written.set(done);
        bar.refresh();
        assertThat(bar.current()).as("current after %d", done).isGreaterThanOrEqualTo(lastCurrent);
        assertThat(bar.max()).as("total after %d", done).isGreaterThanOrEqualTo(lastMax);
        assertThat(bar.current()).as("never past 100 %%").isLessThanOrEqualTo(bar.max());
        lastMax = bar.max();
        lastCurrent = bar.current();
      }
      assertThat(bar.max()).isEqualTo(250);
    }
  }

  @Test
  void printedPercentagesNeverDecreaseNorExceedAHundred() throws Exception {
    try (CopyBar bar = bar(1_000).start()) {
      for (long done = 0; done <= 1_600; done += 400) {
        written.set(done);
        Thread.sleep(600); // the bar redraws every 500 ms
      }
      assertThat(printed.toString())
          .as("drawn while the copy runs, not only at the end")
          .contains("%");
    }

    List<Integer> percentages = new ArrayList<>();
    Matcher m = Pattern.compile("(\\d+)%").matcher(printed.toString());
    while (m.find()) {
      percentages.add(Integer.parseInt(m.group(1)));
    }
    assertThat(percentages).hasSizeGreaterThan(2).isSorted().allMatch(p -> p <= 100);
    assertThat(printed.toString()).contains("1600/1600 items");
  }

  @Test
  void anUnknownEstimateShowsNoTotalInsteadOfAFalseHundredPercent() {
    try (CopyBar bar = bar(0)) {
      for (long done : new long[] {500, 800}) {
        written.set(done);
        bar.refresh();
        assertThat(bar.current()).isEqualTo(done);
      }
    }

    assertThat(printed.toString()).contains("800/? items").doesNotContain("100%");
  }
}
