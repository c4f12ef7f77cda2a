package dev.ddbwarehouse.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.privacyscan.KnownValues;
import dev.ddbwarehouse.privacyscan.LeakScanner;
import dev.ddbwarehouse.privacyscan.TextScanner;
import dev.ddbwarehouse.testing.Invocations;
import dev.ddbwarehouse.testing.StreamEvents;
import dev.ddbwarehouse.testing.TestKeys;
import dev.ddbwarehouse.testing.TransactionItem;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Privacy, end to end: records full of known identifying values (canaries) go through the pipeline
 * — valid ones, poison ones, deletes — and then every table of every schema, and every line the
 * pipeline logged, is searched for each canary in every form the pipeline could have produced (raw,
 * trimmed, lower/upper case, normalised), and for e-mail, IBAN, card, phone and IP patterns. The
 * search is the PII scanner's own engine (privacy-scan: what leak-scan.sh and run-local run), so
 * what this test proves is what the operators' check proves.
 */
class CanaryIT {

  private static final TestWarehouse DB = TestWarehouse.shared();

  private static final List<String> CANARIES =
      List.of(
          "CANARY-USER-7f3a9",
          "CANARY-ACCT-51c2e",
          "GB33 BUKB 2020 1555 5555 55",
          "canary.person@canary-mail.test",
          "+44 7700 900123",
          "Canary McLeakface",
          "198.51.100.123",
          "CANARY-META-0bd1",
          "CANARY-NOTE-93aa");

  @Test
  void noIdentifyingValueReachesAnyTableOrLogLine() throws Exception {
    DB.truncateAll();
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      StreamHandler handler =
          StreamHandler.fromEnvironment(
              TestKeys.environment(DB.writerEnvironment()), BatchObserver.NONE);
      TransactionItem full = canaryItem("c-1");
      TransactionItem updated =
          full.copy().s("status", "SETTLED").s("updatedAt", "2026-01-02T00:00:00Z");
      StreamEvents events =
          StreamEvents.startingAt(1)
              .insert(full)
              .modify(full, updated)
              .insert(canaryItem("c-2"))
              .remove(canaryItem("c-2"))
              // poison records carrying canaries in the very attributes that are wrong
              .insert(canaryItem("c-3").s("currency", "CANARY-USER-7f3a9"))
              .insert(canaryItem("c-4").s("createdAt", "canary.person@canary-mail.test"))
              .insert(canaryItem("c-5").s("amount", "+44 7700 900123"))
              .insert(canaryItem("c-6").s("ipAddress", "Canary McLeakface"))
              .insert(canaryItem("c-7").put("userId", Map.of("N", "7")))
              .insert(canaryItem("c-8").put("country", Map.of("S", "CANARY-NOTE-93aa")));
      Invocations.invoke(handler, events, null);
      Invocations.invoke(handler, events, null); // and a replay
    } finally {
      System.setOut(original);
    }

    String logs = captured.toString(StandardCharsets.UTF_8);
    String database = dumpEveryTable();
    assertThat(logs).as("the pipeline logged").contains("batch committed");
    assertThat(database)
        .as("the warehouse holds the rows")
        .contains("c-1")
        .contains("198.51.100.0/24");
    KnownValues.Builder known = KnownValues.builder();
    CANARIES.forEach(canary -> known.add(canary, forms(canary)));
    TextScanner scanner = new TextScanner(known.build());
    LeakScanner.Result scan;
    try (Connection admin = DB.adminConnection()) {
      scan = new LeakScanner(scanner).scan(admin);
    }
    assertThat(scan.tablesScanned()).as("tables and views scanned").isGreaterThanOrEqualTo(3);
    assertThat(scan.valuesScanned()).isPositive();
    assertThat(scan.columns())
        .as("columns holding a form of a canary or an identifying pattern")
        .isEmpty();
    List<String> loggedLeaks =
        logs.lines().filter(line -> !scanner.scan(line).isEmpty()).map(CanaryIT::shape).toList();
    assertThat(loggedLeaks).as("log lines with a canary or a pattern (shapes only)").isEmpty();
  }

  /** A log line with its letters and digits masked: where a failure points, never what leaked. */
  private static String shape(String line) {
    return line.replaceAll("[A-Za-z]", "a").replaceAll("[0-9]", "9");
  }

  private static TransactionItem canaryItem(String id) {
    return TransactionItem.of(id)
        .s("userId", "CANARY-USER-7f3a9")
        .s("accountId", "CANARY-ACCT-51c2e")
        .s("counterpartyIban", "GB33 BUKB 2020 1555 5555 55")
        .s("email", "canary.person@canary-mail.test")
        .s("phone", "+44 7700 900123")
        .s("counterpartyName", "Canary McLeakface")
        .s("ipAddress", "198.51.100.123")
        .put("metadata", Map.of("M", Map.of("note", Map.of("S", "CANARY-META-0bd1"))))
        .s("notes", "CANARY-NOTE-93aa");
  }

  private static List<String> forms(String canary) {
    List<String> forms = new ArrayList<>();
    forms.add(canary);
    forms.add(canary.toLowerCase(Locale.ROOT));
    forms.add(canary.toUpperCase(Locale.ROOT));
    forms.add(canary.replace(" ", ""));
    forms.add(canary.replaceAll("[^+0-9]", ""));
    return forms.stream().filter(f -> f.length() >= 6).distinct().toList();
  }

  /**
   * Every row of every table and view in every non-system schema, as text. Other sessions'
   * temporary tables (the ETL's staging table) are unreadable from here and empty after every
   * commit; the rows they carried are the ones checked in warehouse.transactions.
   */
  static String dumpEveryTable() throws Exception {
    StringBuilder dump = new StringBuilder();
    try (Connection c = DB.adminConnection();
        Statement s = c.createStatement()) {
      List<String> relations = new ArrayList<>();
      try (ResultSet rs =
          s.executeQuery(
              """
              SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE c.relkind IN ('r', 'v', 'm', 'p')
                AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
                AND n.nspname NOT LIKE 'pg_temp%'
              """)) {
        while (rs.next()) relations.add(rs.getString(1));
      }
      assertThat(relations).contains("warehouse.transactions", "etl.quarantine", "bi.transactions");
      for (String relation : relations) {
        try (ResultSet rs = s.executeQuery("SELECT t::text FROM " + relation + " t")) {
          while (rs.next()) dump.append(relation).append(": ").append(rs.getString(1)).append('\n');
        }
      }
    }
    return dump.toString();
  }
}
