package dev.ddbwarehouse.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The load's progress line: its total is fixed before the first write, so it never goes backwards
 * (the old bar divided by "writes so far" and fell from 58 % to 47 %).
 */
class RunProgressTest {

  private static final Pattern COUNTS = Pattern.compile("(\\d+)/(\\d+) records");

  @Test
  void totalIsFixedAndCountOnlyMovesForward() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    AtomicLong settled = new AtomicLong();
    List<Long> sampled = new ArrayList<>();
    try (RunProgress progress = RunProgress.toTotal(400, settled::get, err)) {
      // Counters as a pipeline moves them, plus a dip and an overshoot the line must not show.
      for (long value : new long[] {0, 100, 250, 240, 390, 420}) {
        settled.set(value);
        progress.sample();
        sampled.add(progress.shown());
      }
    }
    assertThat(sampled).containsExactly(0L, 100L, 250L, 250L, 390L, 400L);
    List<long[]> shown = new ArrayList<>();
    Matcher m = COUNTS.matcher(bytes.toString(StandardCharsets.UTF_8));
    while (m.find()) {
      shown.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
    }
    // How often the bar redraws depends on the terminal; every line it drew must agree.
    assertThat(shown).isNotEmpty();
    long previous = 0;
    for (long[] line : shown) {
      assertThat(line[1]).as("total").isEqualTo(400);
      assertThat(line[0]).as("done").isGreaterThanOrEqualTo(previous).isLessThanOrEqualTo(400);
      previous = line[0];
    }
    assertThat(previous).as("last line").isEqualTo(400);
  }
}
