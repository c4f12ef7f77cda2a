package dev.ddbwarehouse.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.core.json.JsonValue;
import dev.ddbwarehouse.testing.HandlerLogs;
import dev.ddbwarehouse.testing.StreamEvents;
import dev.ddbwarehouse.testing.TransactionItem;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mapping that names an attribute the items do not carry (here the misspelling "emial") leaves
 * its column NULL without quarantining anything; the handler says so once per batch, as a log line
 * and an EMF metric, naming the attribute and never a value.
 */
class MappedAttributeAbsentIT {

  private static final TestWarehouse DB = TestWarehouse.shared();
  private static final String EMAIL = "absent.check@example.test";
  private static final String MISSPELT =
      """
      {"attributes":{"emial":{"treatment":"pseudonymise","column":"email_pseudonym",\
      "namespace":"email","normalise":"email"}}}
      """;

  @TempDir Path tempDir;

  @BeforeEach
  void setUp() {
    DB.truncateAll();
  }

  @Test
  void warnsOnceAndCountsAnAttributeNoRecordOfTheBatchCarries() throws Exception {
    List<JsonValue> lines = handle(MISSPELT, batchOfThree());

    assertThat(absenceWarnings(lines))
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.text("level")).isEqualTo("WARN");
              assertThat(w.text("attribute")).isEqualTo("emial");
              assertThat(w.text("records")).isEqualTo("3");
              assertThat(new BigInteger(w.text("firstSequenceNumber"))).isEqualTo(BigInteger.ONE);
            });
    assertThat(metric(lines, "MappedAttributeAbsent")).isEqualTo("1");
    assertThat(metricDefinitions(lines))
        .as("declared as a metric, so CloudWatch extracts it")
        .contains("MappedAttributeAbsent");
    assertThat(nullEmailPseudonyms())
        .as("the rows are stored, e-mail pseudonyms NULL")
        .isEqualTo(3);
  }

  @Test
  void countsZeroAndWarnsNothingWhenEveryExpectedAttributeAppearsSomewhere() throws Exception {
    // Only one of the three items has a phone: present in the batch is enough.
    List<JsonValue> lines = handle("{}", batchOfThree());

    assertThat(absenceWarnings(lines)).isEmpty();
    assertThat(metric(lines, "MappedAttributeAbsent")).isEqualTo("0");
  }

  @Test
  void logsTheAttributeNameAndNeverAValue() throws Exception {
    String logs = logs(MISSPELT, batchOfThree());

    assertThat(logs).contains("\"attribute\":\"emial\"");
    assertThat(logs).doesNotContain(EMAIL).doesNotContain("absent.check");
  }

  private static StreamEvents batchOfThree() {
    return StreamEvents.startingAt(1)
        .insert(TransactionItem.of("t-1").s("email", EMAIL))
        .insert(TransactionItem.of("t-2").s("email", EMAIL).without("phone"))
        .insert(TransactionItem.of("t-3").s("email", EMAIL).without("phone"));
  }

  private List<JsonValue> handle(String mapping, StreamEvents events) {
    return HandlerLogs.lines(DB.writerEnvironment(), tempDir, mapping, events);
  }

  private String logs(String mapping, StreamEvents events) {
    return HandlerLogs.text(DB.writerEnvironment(), tempDir, mapping, events);
  }

  private static List<JsonValue> absenceWarnings(List<JsonValue> lines) {
    return lines.stream()
        .filter(l -> "mapped attribute absent from the whole batch".equals(l.text("message")))
        .toList();
  }

  private static JsonValue emf(List<JsonValue> lines) {
    return lines.stream()
        .filter(l -> l.get("_aws") != null)
        .reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no EMF document in " + lines));
  }

  private static String metric(List<JsonValue> lines, String name) {
    JsonValue value = emf(lines).get(name);
    return value == null ? null : value.text();
  }

  private static List<String> metricDefinitions(List<JsonValue> lines) {
    JsonValue directive =
        ((JsonValue.Arr) emf(lines).get("_aws").get("CloudWatchMetrics")).items().get(0);
    return ((JsonValue.Arr) directive.get("Metrics"))
        .items().stream().map(m -> m.text("Name")).toList();
  }

  private static int nullEmailPseudonyms() throws Exception {
    try (Connection c = DB.adminConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT count(*) FROM bi.transactions WHERE email_pseudonym IS NULL")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
