package dev.ddbwarehouse.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ddbwarehouse.config.EtlConfig;
import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.core.pseudonym.KeyRing;
import dev.ddbwarehouse.core.pseudonym.Pseudonymiser;
import dev.ddbwarehouse.testing.Invocations;
import dev.ddbwarehouse.testing.StreamEvents;
import dev.ddbwarehouse.testing.TestKeys;
import dev.ddbwarehouse.testing.WarehouseRows;
import dev.ddbwarehouse.testschema.jooq.DefaultCatalog;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A table added the way a user adds one: a Flyway migration (src/test/resources/db/test-migration)
 * and a mapping entry (src/test/resources/mappings/account-events.json), no Java. The build
 * generates the jOOQ classes from the migrations, so the function validates and writes the table
 * like any built-in one. Its key is composite (the pseudonymised account and the event's time).
 */
class TableAddedByMigrationIT {

  private static final TestWarehouse DB = TestWarehouse.shared();
  private static final String ARN =
      "arn:aws:dynamodb:eu-west-1:123456789012:table/account-events/stream/2026-01-01T00:00:00.000";
  private static final String ACCOUNT =
      new Pseudonymiser(KeyRing.parse(TestKeys.SECRET_JSON, "test")).pseudonym("account", "acc-7");

  private StreamHandler handler;

  @BeforeEach
  void setUp() throws URISyntaxException {
    DB.truncateAll();
    Map<String, String> env = new HashMap<>(TestKeys.environment(DB.writerEnvironment()));
    Path mapping = Path.of(getClass().getResource("/mappings/account-events.json").toURI());
    env.put("MAPPING_FILE", mapping.toString());
    EtlConfig config =
        EtlConfig.fromEnv(
            env,
            () -> {
              throw new AssertionError("local configuration");
            });
    // The catalog generated from the warehouse's migrations and the test migration.
    handler =
        new StreamHandler(
            Pipeline.wire(
                config, BatchObserver.NONE, null, System.out, DefaultCatalog.DEFAULT_CATALOG));
  }

  private static Map<String, Object> event(String time, String kind, String amount, String v) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("accountId", Map.of("S", "acc-7"));
    e.put("eventTime", Map.of("S", time));
    e.put("kind", Map.of("S", kind));
    e.put("amount", Map.of("N", amount));
    e.put("updatedAt", Map.of("S", v));
    return e;
  }

  private static Map<String, Object> keys(Map<String, Object> item) {
    return Map.of("accountId", item.get("accountId"), "eventTime", item.get("eventTime"));
  }

  @Test
  void compositeKeysRoundTripInsertsUpdatesAndDeletes() throws SQLException {
    Map<String, Object> a =
        event("2026-01-01T08:00:00Z", "deposit", "100.00", "2026-01-01T08:00:00Z");
    Map<String, Object> b = event("2026-01-01T08:00:00.5Z", "fee", "-1.50", "2026-01-01T08:00:01Z");
    Map<String, Object> c =
        event("2026-01-01T09:00:00Z", "deposit", "20.00", "2026-01-01T09:00:00Z");
    Map<String, Object> b2 = new LinkedHashMap<>(b);
    b2.put("amount", Map.of("N", "-2.00"));
    b2.put("updatedAt", Map.of("S", "2026-01-01T09:30:00Z"));

    StreamsEventResponse inserts =
        Invocations.invoke(
            handler,
            StreamEvents.startingAt(1, ARN)
                .add("INSERT", keys(a), a, null, false)
                .add("INSERT", keys(b), b, null, false)
                .add("INSERT", keys(c), c, null, false),
            null);
    StreamsEventResponse changes =
        Invocations.invoke(
            handler,
            StreamEvents.startingAt(4, ARN)
                .add("MODIFY", keys(b2), b2, b, false)
                .add("REMOVE", keys(c), null, c, false),
            null);

    assertThat(inserts.getBatchItemFailures()).isEmpty();
    assertThat(changes.getBatchItemFailures()).isEmpty();
    assertThat(
            rows(
                "SELECT account_pseudonym, event_time, kind, amount, deleted_at IS NOT NULL"
                    + " FROM warehouse.account_events ORDER BY event_time"))
        .containsExactly(
            List.of(ACCOUNT, "2026-01-01 08:00:00+00", "deposit", "100.00", "f"),
            List.of(ACCOUNT, "2026-01-01 08:00:00.5+00", "fee", "-2.00", "f"),
            List.of(ACCOUNT, "2026-01-01 09:00:00+00", "deposit", "20.00", "t"));

    // A replay of both batches changes nothing: the version guard holds per composite key.
    Invocations.invoke(
        handler,
        StreamEvents.startingAt(1, ARN)
            .add("INSERT", keys(a), a, null, false)
            .add("INSERT", keys(b), b, null, false)
            .add("INSERT", keys(c), c, null, false),
        null);
    assertThat(rows("SELECT amount FROM warehouse.account_events ORDER BY event_time"))
        .containsExactly(List.of("100.00"), List.of("-2.00"), List.of("20.00"));
    assertThat(rows("SELECT count(*) FROM warehouse.account_events WHERE deleted_at IS NULL"))
        .containsExactly(List.of("2"));
    assertThat(
            rows("SELECT count(*) FROM warehouse.account_events WHERE account_pseudonym = 'acc-7'"))
        .as("the raw account id is never a key")
        .containsExactly(List.of("0"));
  }

  private static List<List<String>> rows(String sql) throws SQLException {
    return WarehouseRows.query(DB, sql);
  }
}
