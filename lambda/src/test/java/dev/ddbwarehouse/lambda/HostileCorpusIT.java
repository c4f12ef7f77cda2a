package dev.ddbwarehouse.lambda;

import static dev.ddbwarehouse.lambda.StreamHandlerIT.rows;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ddbwarehouse.core.ErrorCode;
import dev.ddbwarehouse.core.pipeline.BatchReport;
import dev.ddbwarehouse.testing.HostileCorpus;
import dev.ddbwarehouse.testing.HostileCorpus.Deleted;
import dev.ddbwarehouse.testing.HostileCorpus.Entry;
import dev.ddbwarehouse.testing.HostileCorpus.Ignored;
import dev.ddbwarehouse.testing.HostileCorpus.Outcome;
import dev.ddbwarehouse.testing.HostileCorpus.Quarantined;
import dev.ddbwarehouse.testing.HostileCorpus.Superseded;
import dev.ddbwarehouse.testing.HostileCorpus.Written;
import dev.ddbwarehouse.testing.HostileValues;
import dev.ddbwarehouse.testing.Invocations;
import dev.ddbwarehouse.testing.TestKeys;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A seeded corpus of hostile stream records (every attribute type, wrong types and invalid values
 * of every mapped attribute, odd metadata, every kind of remove, one key changed several times in a
 * batch) through the runtime's deserialiser and the real handler into PostgreSQL, delivered twice.
 * Each record's outcome was written down when the record was made; the warehouse must show exactly
 * that, and no canary may be stored or logged anywhere.
 */
class HostileCorpusIT {

  private static final TestWarehouse DB = TestWarehouse.shared();
  private static final long SEED = 0x5eed_2026L;
  private static final long FIRST_SEQUENCE = 100;

  private static HostileCorpus seeds;
  private static HostileCorpus corpus;
  private static final List<String> unmarkedCanaries = new ArrayList<>();
  private static final List<BatchReport> reports = new ArrayList<>();
  private static final List<StreamsEventResponse> responses = new ArrayList<>();
  private static List<String> seedsAfterFirstBatch;
  private static List<String> afterDelivery;
  private static List<String> afterReplay;
  private static List<String> untouchedSeedsAtEnd;
  private static long quarantineRows;
  private static long warehouseRows;
  private static String logs;
  private static String database;

  @BeforeAll
  static void deliverTheCorpusTwice() throws Exception {
    DB.truncateAll();
    HostileValues values = new HostileValues(SEED);
    seeds = new HostileCorpus(1);
    HostileCases seedCases = new HostileCases(values, seeds, unmarkedCanaries);
    HostileStreamCases.seeds(seedCases);
    corpus = new HostileCorpus(FIRST_SEQUENCE);
    HostileCases cases = seedCases.forBatch(corpus);
    HostileValueCases.addAll(cases);
    HostileStreamCases.addAll(cases);

    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      StreamHandler handler =
          StreamHandler.fromEnvironment(TestKeys.environment(DB.writerEnvironment()), reports::add);
      responses.add(Invocations.invoke(handler, seeds.events(), null));
      seedsAfterFirstBatch = actual(seeds.entries());
      responses.add(Invocations.invoke(handler, corpus.events(), null));
      afterDelivery = actual(corpus.entries());
      responses.add(Invocations.invoke(handler, corpus.events(), null));
      afterReplay = actual(corpus.entries());
    } finally {
      System.setOut(original);
    }
    Set<String> touched =
        corpus.entries().stream()
            .filter(e -> e.expected() instanceof Written || e.expected() instanceof Deleted)
            .map(Entry::transactionId)
            .collect(Collectors.toSet());
    untouchedSeedsAtEnd =
        actual(seeds.entries().stream().filter(e -> !touched.contains(e.transactionId())).toList());
    quarantineRows = count("etl.quarantine");
    warehouseRows = count("warehouse.transactions");
    logs = captured.toString(StandardCharsets.UTF_8);
    database = CanaryIT.dumpEveryTable();
  }

  @Test
  void corpusHoldsOverAHundredRecordsWithEveryOutcome() {
    List<Outcome> outcomes = corpus.entries().stream().map(Entry::expected).toList();
    assertThat(outcomes).hasSizeGreaterThanOrEqualTo(100);
    assertThat(outcomes.stream().map(Object::getClass).distinct())
        .containsExactlyInAnyOrder(
            Written.class, Deleted.class, Ignored.class, Superseded.class, Quarantined.class);
    assertThat(
            outcomes.stream()
                .filter(o -> o instanceof Quarantined)
                .map(o -> ((Quarantined) o).code()))
        .as("every code a record can earn on its own")
        .containsAll(
            EnumSet.of(
                ErrorCode.UNPARSABLE_IMAGE,
                ErrorCode.MISSING_NEW_IMAGE,
                ErrorCode.UNKNOWN_EVENT_NAME,
                ErrorCode.MISSING_ATTRIBUTE,
                ErrorCode.WRONG_TYPE,
                ErrorCode.INVALID_NUMBER,
                ErrorCode.AMOUNT_NOT_EXACT,
                ErrorCode.INVALID_CURRENCY,
                ErrorCode.INVALID_COUNTRY,
                ErrorCode.INVALID_TIMESTAMP,
                ErrorCode.INVALID_IP_ADDRESS,
                ErrorCode.INVALID_VALUE,
                ErrorCode.INVALID_RECORD_METADATA));
  }

  @Test
  void everyRecordEndsWithTheOutcomeWrittenDownForIt() {
    assertThat(seedsAfterFirstBatch).containsExactlyElementsOf(expected(seeds.entries()));
    assertThat(afterDelivery).containsExactlyElementsOf(expected(corpus.entries()));
    assertThat(untouchedSeedsAtEnd)
        .as("a TTL expiry or an unparsable REMOVE leaves the seed live")
        .hasSize(3)
        .allSatisfy(s -> assertThat(s).contains("written"));
  }

  @Test
  void replayingTheBatchChangesNoOutcome() {
    assertThat(afterReplay).containsExactlyElementsOf(afterDelivery);
  }

  @Test
  void noInvocationFailsAndTheCountsAddUp() {
    assertThat(responses)
        .hasSize(3)
        .allSatisfy(r -> assertThat(r.getBatchItemFailures()).isEmpty());
    List<Entry> entries = corpus.entries();
    for (BatchReport report : reports.subList(1, 3)) {
      assertThat(report.recordsIn()).isEqualTo(entries.size());
      assertThat(report.quarantined()).isEqualTo(countOf(entries, Quarantined.class));
      assertThat(report.ignored()).isEqualTo(countOf(entries, Ignored.class));
      assertThat(report.upserted() + report.deleted() + report.ignored() + report.quarantined())
          .isEqualTo(entries.size());
    }
    long distinctQuarantined =
        entries.stream()
            .filter(e -> e.expected() instanceof Quarantined)
            .map(e -> e.storedEventId() + "/" + e.storedSequence())
            .distinct()
            .count();
    assertThat(quarantineRows).as("one row per quarantined record").isEqualTo(distinctQuarantined);
    long rows =
        entries.stream()
            .filter(e -> e.expected() instanceof Written || e.expected() instanceof Deleted)
            .map(Entry::transactionId)
            .filter(id -> !id.startsWith("seed-"))
            .distinct()
            .count();
    assertThat(warehouseRows).isEqualTo(rows + HostileCases.SEEDS);
  }

  @Test
  void noCanaryReachesAnyTableOrLogLine() {
    assertThat(database).as("the dump holds rows").contains("seed-3", "198.51.");
    assertThat(logs).as("the handler logged").contains("batch committed");
    assertThat(database.toLowerCase(Locale.ROOT)).doesNotContain(marker());
    assertThat(logs.toLowerCase(Locale.ROOT)).doesNotContain(marker());
    assertThat(unmarkedCanaries).hasSizeGreaterThan(300);
    for (String canary : unmarkedCanaries) {
      assertThat(database).doesNotContain(canary);
      assertThat(logs).doesNotContain(canary);
    }
  }

  private static String marker() {
    return HostileValues.MARKER.toLowerCase(Locale.ROOT);
  }

  private static long countOf(List<Entry> entries, Class<? extends Outcome> kind) {
    return entries.stream().filter(e -> kind.isInstance(e.expected())).count();
  }

  private static List<String> expected(List<Entry> entries) {
    return entries.stream().map(e -> e.describe(e.expected())).toList();
  }

  /** What the warehouse shows for each record, described like its expected outcome. */
  private static List<String> actual(List<Entry> entries) throws SQLException {
    Map<String, Map<String, Object>> quarantine = new HashMap<>();
    for (Map<String, Object> q :
        rows("SELECT event_id, sequence_number, error_code, attribute FROM etl.quarantine")) {
      quarantine.put(q.get("event_id") + "/" + q.get("sequence_number"), q);
    }
    Map<String, Map<String, Object>> byId = new HashMap<>();
    for (Map<String, Object> r :
        rows(
            "SELECT transaction_id, source_sequence::text AS source_sequence, deleted_at IS NOT NULL"
                + " AS deleted, amount::text AS amount, currency::text AS currency, status,"
                + " merchant_name, ip_network, tags::text AS tags FROM warehouse.transactions")) {
      byId.put((String) r.get("transaction_id"), r);
    }
    List<String> out = new ArrayList<>();
    for (Entry e : entries) {
      out.add(e.describe(outcome(e, quarantine, byId)));
    }
    return out;
  }

  private static Outcome outcome(
      Entry e, Map<String, Map<String, Object>> quarantine, Map<String, Map<String, Object>> byId) {
    Map<String, Object> q = quarantine.get(e.storedEventId() + "/" + e.storedSequence());
    if (q != null) {
      return new Quarantined(
          ErrorCode.valueOf((String) q.get("error_code")), (String) q.get("attribute"));
    }
    Map<String, Object> row = e.transactionId() == null ? null : byId.get(e.transactionId());
    if (row == null
        || !e.storedSequence().matches("[0-9]+")
        || !new BigInteger((String) row.get("source_sequence"))
            .equals(new BigInteger(e.storedSequence()))) {
      return new Ignored();
    }
    if (Boolean.TRUE.equals(row.get("deleted"))) return new Deleted();
    Set<String> columns =
        e.expected() instanceof Written w ? w.columns().keySet() : Set.of("amount", "currency");
    Map<String, String> values = new HashMap<>();
    columns.forEach(c -> values.put(c, String.valueOf(row.get(c))));
    return new Written(values);
  }

  private static long count(String table) throws SQLException {
    return ((Number) rows("SELECT count(*) AS n FROM " + table).get(0).get("n")).longValue();
  }
}
