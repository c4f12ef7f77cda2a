package dev.ddbwarehouse.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * run-local end to end with both source tables: transactions and the profiles of their users go
 * through the one handler, the BI join finds every customer's profile, and the leak check covers
 * what the profiles table holds.
 */
class RunLocalTwoTablesIT {

  private static final Pattern FIELD = Pattern.compile("(\\w+)=(\\d+)");
  private static final Pattern TABLE_LINE =
      Pattern.compile(
          "table {7}(\\w+) +([\\d,]+) source items \\([\\w-]+\\) -> ([\\d,]+) live rows");
  private static final Pattern JOINED =
      Pattern.compile("; ([\\d,]+) of ([\\d,]+) customers have a profile, ([\\d,]+) profiles\\)");

  @TempDir Path stateDir;

  private record Result(int exitCode, String stdout, String stderr) {
    String summary() {
      return stdout.strip().lines().reduce((a, b) -> b).orElseThrow();
    }

    Map<String, Long> fields() {
      Map<String, Long> fields = new HashMap<>();
      Matcher m = FIELD.matcher(summary());
      while (m.find()) {
        fields.put(m.group(1), Long.parseLong(m.group(2)));
      }
      return fields;
    }
  }

  private Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String previous = System.setProperty("ddbw.local.stateDir", stateDir.toString());
    try {
      int code =
          RunLocal.run(
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8),
              args);
      return new Result(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      if (previous == null) System.clearProperty("ddbw.local.stateDir");
      else System.setProperty("ddbw.local.stateDir", previous);
    }
  }

  @Test
  void fillsBothTablesJoinsThemAndCountsBothInTheSummary() {
    Result result = run("--items", "400", "--deletes", "0");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    Map<String, long[]> tables = new HashMap<>();
    Matcher t = TABLE_LINE.matcher(result.stdout());
    while (t.find()) {
      tables.put(t.group(1), new long[] {number(t.group(2)), number(t.group(3))});
    }
    assertThat(tables).containsOnlyKeys("transactions", "user_profiles");
    assertThat(tables.get("transactions")).containsExactly(400, 400);
    assertThat(tables.get("user_profiles"))
        .as("one profile per ten transactions")
        .containsExactly(40, 40);

    Matcher joined = JOINED.matcher(result.stdout());
    assertThat(joined.find()).as(result.stdout()).isTrue();
    assertThat(number(joined.group(1)))
        .as("every customer of bi.transactions joins its row in bi.user_profiles")
        .isPositive()
        .isEqualTo(number(joined.group(2)));
    assertThat(result.stdout()).contains(" birth_year_band ").contains("| amount_eur");

    assertThat(result.summary())
        .startsWith("SUMMARY source_items=440 warehouse_rows=440 quarantined=0 pii_leaks=0 ")
        .endsWith(" tables=2");
  }

  @Test
  void leakCheckFindsProfileValuesAMappingStoresInTheClear() throws Exception {
    // A careless mapping: postcodes into a text column, the exact signup time into a timestamp.
    Path mapping =
        Files.writeString(
            stateDir.resolve("careless.json"),
            """
            {"tables": {
              "transactions": {},
              "user_profiles": {"attributes": {
                "postcode": {"treatment": "keep", "column": "sex", "classification": "quasi-identifying"},
                "signupAt": {"treatment": "keep", "type": "timestamp", "column": "updated_at",
                             "classification": "quasi-identifying"}
              }}
            }}
            """);
    Result result = run("--items", "200", "--mapping", mapping.toString());

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout())
        .contains("LEAK        warehouse.user_profiles.sex: 20 values")
        .contains("LEAK        bi.user_profiles.sex: 20 values")
        .as("the exact signup time in a timestamptz column")
        .contains("LEAK        warehouse.user_profiles.updated_at: 20 values");
    assertThat(result.fields().get("pii_leaks")).as(result.summary()).isPositive();
    assertThat(result.fields().get("tables")).isEqualTo(2);
  }

  private static long number(String digits) {
    return Long.parseLong(digits.replace(",", ""));
  }
}
