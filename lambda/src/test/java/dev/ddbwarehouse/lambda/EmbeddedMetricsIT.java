package dev.ddbwarehouse.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.observability.BatchTelemetry;
import dev.ddbwarehouse.testing.StreamEvents;
import dev.ddbwarehouse.testing.TransactionItem;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CloudWatch Embedded Metric Format documents the function prints: exactly what the template's
 * alarms and dashboard read (namespace, the FunctionName dimension, metric names and units), one
 * per batch, and never a value taken from an item.
 */
class EmbeddedMetricsIT {

  private static final TestWarehouse DB = TestWarehouse.shared();
  private static final String FUNCTION = "ddb-warehouse-emf-test";
  private static final Duration PLENTY = Duration.ofSeconds(60);

  /** Identifying values that must never reach a metric document (or any log line). */
  private static final List<String> CANARIES =
      List.of(
          "canary-user-7f3a",
          "canary-acc-9b1c",
          "canary.mail@example.org",
          "DE02120300000000202051",
          "+49 170 5550199",
          "198.51.100.23",
          "Canary Merchant GmbH",
          "canary-tx-1");

  @BeforeEach
  void clean() {
    DB.truncateAll();
  }

  @Test
  void committedBatchPrintsOneDocumentWithEveryMetricTheTemplateReads() {
    LoggedHandler handler = new LoggedHandler(DB.writerEnvironment(), FUNCTION);
    TransactionItem canary =
        TransactionItem.of("canary-tx-1")
            .s("userId", "canary-user-7f3a")
            .s("accountId", "canary-acc-9b1c")
            .s("email", "canary.mail@example.org")
            .s("counterpartyIban", "DE02120300000000202051")
            .s("phone", "+49 170 5550199")
            .s("ipAddress", "198.51.100.23")
            .s("counterpartyName", "Canary Merchant GmbH");
    TransactionItem noAmount = TransactionItem.of("t-2").without("amount");

    handler.run(
        StreamEvents.startingAt(1)
            .insert(canary)
            .insert(noAmount)
            .insert(TransactionItem.of("t-3")),
        PLENTY);

    Map<String, Object> doc = single(documents(handler));
    assertEnvelope(doc);
    assertThat(definitions(doc).keySet())
        .as("a committed batch carries every metric")
        .containsExactlyInAnyOrderElementsOf(BatchTelemetry.METRIC_NAMES);
    assertThat(doc)
        .containsEntry("RecordsIn", 3)
        .containsEntry("RecordsCommitted", 2)
        .containsEntry("RecordsQuarantined", 1)
        .containsEntry("BatchFailed", 0);
    assertThat(((Number) doc.get("CommitLag")).longValue()).isNotNegative();
    assertThat(handler.output()).doesNotContain(CANARIES);
  }

  @Test
  void failedBatchPrintsOneDocumentCountingItAsFailed() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Map<String, String> env = new HashMap<>(DB.writerEnvironment());
    env.put("WAREHOUSE_JDBC_URL", "jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres");
    LoggedHandler handler = new LoggedHandler(env, FUNCTION);

    handler.run(StreamEvents.startingAt(5).insert(TransactionItem.of("t-1")), PLENTY);
    handler.run(StreamEvents.startingAt(5).insert(TransactionItem.of("t-1")), PLENTY);

    List<Map<String, Object>> docs = documents(handler);
    assertThat(docs).as("one document per batch").hasSize(2);
    for (Map<String, Object> doc : docs) {
      assertEnvelope(doc);
      assertThat(doc)
          .containsEntry("BatchFailed", 1)
          .containsEntry("RecordsCommitted", 0)
          .containsEntry("RecordsQuarantined", 0)
          .doesNotContainKey("CommitLag");
    }
  }

  private static void assertEnvelope(Map<String, Object> doc) {
    Map<String, Object> aws = map(doc.get("_aws"));
    assertThat(aws.get("Timestamp")).isInstanceOf(Number.class);
    Map<String, Object> directive = map(single(list(aws.get("CloudWatchMetrics"))));
    assertThat(directive.get("Namespace")).isEqualTo("DdbWarehouse");
    assertThat(directive.get("Dimensions")).isEqualTo(List.of(List.of("FunctionName")));
    assertThat(doc).containsEntry(BatchTelemetry.DIMENSION, FUNCTION);
    Map<String, String> units = definitions(doc);
    assertThat(BatchTelemetry.METRIC_NAMES).containsAll(units.keySet());
    units.forEach(
        (name, unit) -> {
          assertThat(unit)
              .as(name)
              .isEqualTo(
                  name.equals("BatchDuration") || name.equals("CommitLag")
                      ? "Milliseconds"
                      : "Count");
          assertThat(doc.get(name)).as("value of " + name).isInstanceOf(Number.class);
        });
    assertThat(doc.keySet())
        .as("nothing but the envelope, the dimension and the metrics")
        .allMatch(k -> k.equals("_aws") || k.equals("FunctionName") || units.containsKey(k));
  }

  private static Map<String, String> definitions(Map<String, Object> doc) {
    Map<String, Object> directive =
        map(single(list(map(doc.get("_aws")).get("CloudWatchMetrics"))));
    return list(directive.get("Metrics")).stream()
        .map(EmbeddedMetricsIT::map)
        .collect(Collectors.toMap(m -> (String) m.get("Name"), m -> (String) m.get("Unit")));
  }

  private static List<Map<String, Object>> documents(LoggedHandler handler) {
    return handler.lines().stream().filter(l -> l.containsKey("_aws")).toList();
  }

  private static <T> T single(List<T> items) {
    assertThat(items).hasSize(1);
    return items.get(0);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    assertThat(o).isInstanceOf(Map.class);
    return (Map<String, Object>) o;
  }

  private static List<Object> list(Object o) {
    assertThat(o).isInstanceOf(List.class);
    return List.copyOf((List<?>) o);
  }
}
