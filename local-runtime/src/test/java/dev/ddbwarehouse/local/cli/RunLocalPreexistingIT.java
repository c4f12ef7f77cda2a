package dev.ddbwarehouse.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run-local.sh --preexisting N} end to end: items written before the table had a stream
 * reach the warehouse through the backfill and count in the summary.
 */
class RunLocalPreexistingIT {

  private static final Pattern FIELD = Pattern.compile("(\\w+)=(\\d+)");

  @Test
  void preexistingItemsArriveThroughTheBackfillAndCountInTheSummary(@TempDir Path stateDir)
      throws Exception {
    String previous = System.setProperty("ddbw.local.stateDir", stateDir.toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try {
      code = RunLocal.run(print(out), print(err), "--items", "200", "--preexisting", "300");
    } finally {
      if (previous == null) {
        System.clearProperty("ddbw.local.stateDir");
      } else {
        System.setProperty("ddbw.local.stateDir", previous);
      }
    }
    String stdout = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(stdout).contains("backfill    300 preexisting items copied");

    String[] lines = stdout.strip().split("\n");
    String summary = lines[lines.length - 1];
    assertThat(summary).startsWith("SUMMARY ");
    Map<String, Long> counts = fields(summary);
    // 200 / 50 = 4 deletes by default, picked among all 500 live items; one profile per ten.
    assertThat(counts.get("source_items")).as(summary).isEqualTo(300 + 200 - 4 + 50);
    assertThat(counts.get("tables")).as(summary).isEqualTo(2);
    assertThat(counts.get("warehouse_rows")).as(summary).isEqualTo(counts.get("source_items"));
    assertThat(counts.get("quarantined")).as(summary).isZero();
    assertThat(counts.get("pii_leaks")).as(summary).isZero();
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  private static Map<String, Long> fields(String line) {
    Map<String, Long> fields = new HashMap<>();
    Matcher m = FIELD.matcher(line);
    while (m.find()) {
      fields.put(m.group(1), Long.parseLong(m.group(2)));
    }
    return fields;
  }
}
