package dev.ddbwarehouse.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.core.policy.MappingDocument;
import dev.ddbwarehouse.core.pseudonym.KeyRing;
import dev.ddbwarehouse.core.pseudonym.KeyRingChange;
import dev.ddbwarehouse.core.pseudonym.Pseudonymiser;
import dev.ddbwarehouse.sink.jooq.KeyUsage;
import dev.ddbwarehouse.testing.Invocations;
import dev.ddbwarehouse.testing.StreamEvents;
import dev.ddbwarehouse.testing.TestKeys;
import dev.ddbwarehouse.testing.TransactionItem;
import dev.ddbwarehouse.testing.WarehouseRows;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-keying history after a rotation: the same images again (a backfill through the shadow streams)
 * replace rows of the ring's older versions at an equal item version, a table keyed by a pseudonym
 * moves its rows to the new key, and nothing older ever wins.
 */
class RekeyIT {

  private static final TestWarehouse DB = TestWarehouse.shared();
  private static final String PROFILES =
      "arn:aws:dynamodb:eu-west-1:123456789012:table/user-profiles/stream/2026-01-01T00:00:00.000";
  private static final String PROFILES_SHADOW =
      "arn:aws:dynamodb:eu-west-1:123456789012:table/user-profiles-backfill/stream/2026-01-02T00:00:00.000";
  private static final String SHADOW =
      "arn:aws:dynamodb:eu-west-1:123456789012:table/transactions-backfill/stream/2026-01-02T00:00:00.000";
  private static final String V1_RING = TestKeys.SECRET_JSON;
  private static final String V2_RING =
      KeyRingChange.rotate(V1_RING, "test", new SecureRandom()).secretJson();

  @TempDir Path dir;

  @BeforeEach
  void setUp() {
    DB.truncateAll();
  }

  @Test
  void aBackfillAfterARotationRekeysEveryLiveRowAndJoinsHoldUnderTheNewVersion() throws Exception {
    StreamHandler v1 = handler(V1_RING);
    ok(Invocations.invoke(v1, profiles(PROFILES, 1, "user-a", "user-b"), null));
    ok(
        Invocations.invoke(
            v1,
            StreamEvents.startingAt(10)
                .insert(tx("t-1", "user-a", "10.00"))
                .insert(tx("t-2", "user-b", "5.00"))
                .insert(tx("t-3", "user-b", "1.00")),
            null));
    ok(
        Invocations.invoke(
            v1, StreamEvents.startingAt(20).remove(tx("t-3", "user-b", "1.00")), null));

    StreamHandler v2 = handler(V2_RING);
    // The backfill: every item still in the source, through the shadow streams, same versions.
    ok(Invocations.invoke(v2, profiles(PROFILES_SHADOW, 1, "user-a", "user-b"), null));
    ok(
        Invocations.invoke(
            v2,
            StreamEvents.startingAt(1, SHADOW)
                .insert(tx("t-1", "user-a", "10.00"))
                .insert(tx("t-2", "user-b", "5.00")),
            null));

    Pseudonymiser p2 = new Pseudonymiser(KeyRing.parse(V2_RING, "test"));
    assertThat(
            rows(
                "SELECT key_version, count(*) FROM warehouse.transactions WHERE deleted_at IS NULL GROUP BY 1"))
        .containsExactly(List.of("v2", "2"));
    assertThat(
            rows(
                "SELECT key_version, count(*) FROM warehouse.user_profiles WHERE deleted_at IS NULL GROUP BY 1"))
        .as("the profiles moved to their v2 keys")
        .containsExactly(List.of("v2", "2"));
    assertThat(
            rows(
                "SELECT deleted_at IS NOT NULL FROM warehouse.transactions WHERE transaction_id = 't-3'"))
        .as("a deleted item is not revived")
        .containsExactly(List.of("t"));
    assertThat(
            rows(
                "SELECT p.user_pseudonym, sum(t.amount) FROM bi.transactions t"
                    + " JOIN bi.user_profiles p USING (user_pseudonym) GROUP BY 1 ORDER BY 2"))
        .as("the join across tables under v2")
        .containsExactly(
            List.of(p2.pseudonym("user", "user-b"), "5.00"),
            List.of(p2.pseudonym("user", "user-a"), "10.00"));
    assertThat(rows("SELECT count(*) FROM bi.user_profiles")).containsExactly(List.of("2"));

    try (Connection c = DB.adminConnection()) {
      List<KeyUsage.Count> usage = KeyUsage.count(c, MappingDocument.defaults());
      assertThat(usage)
          .contains(
              new KeyUsage.Count("warehouse.transactions", "v2", 2, 0),
              new KeyUsage.Count("warehouse.user_profiles", "v2", 2, 0),
              new KeyUsage.Count("warehouse.user_profiles", "v1", 0, 2));
      assertThat(
              usage.stream()
                  .filter(u -> "v1".equals(u.keyVersion()))
                  .mapToLong(KeyUsage.Count::live)
                  .sum())
          .as("no live row left on v1")
          .isZero();
      c.setAutoCommit(false);
      assertThat(KeyUsage.releaseDeleted(c, MappingDocument.defaults(), "v1"))
          .containsEntry("warehouse.user_profiles", 2L)
          .containsEntry("warehouse.transactions", 1L);
      c.commit();
      assertThat(KeyUsage.rowsUnder(KeyUsage.count(c, MappingDocument.defaults()), "v1")).isEmpty();
    }
    assertThat(
            rows(
                "SELECT deleted_at IS NOT NULL, user_pseudonym FROM warehouse.transactions WHERE transaction_id = 't-3'"))
        .as("the tombstone still guards t-3, linked to nobody")
        .containsExactly(List.of("t", "null"));
  }

  @Test
  void anOlderImageNeverWinsAndAnEnvironmentOnTheOldRingLeavesRekeyedRowsAlone() throws Exception {
    StreamHandler v1 = handler(V1_RING);
    ok(
        Invocations.invoke(
            v1, StreamEvents.startingAt(1).insert(tx("t-1", "user-a", "10.00")), null));
    StreamHandler v2 = handler(V2_RING);
    TransactionItem newer = tx("t-1", "user-a", "12.00").s("updatedAt", "2026-01-01T10:00:30Z");
    // A live update under v2 races the backfill's copy of the older item version: either order.
    ok(
        Invocations.invoke(
            v2, StreamEvents.startingAt(2).modify(tx("t-1", "user-a", "10.00"), newer), null));
    ok(
        Invocations.invoke(
            v2, StreamEvents.startingAt(1, SHADOW).insert(tx("t-1", "user-a", "10.00")), null));
    assertThat(rows("SELECT amount, key_version FROM warehouse.transactions"))
        .containsExactly(List.of("12.00", "v2"));

    // An execution environment still on the v1 ring replays the item at the same version.
    ok(Invocations.invoke(v1, StreamEvents.startingAt(3, SHADOW).insert(newer), null));
    assertThat(rows("SELECT amount, key_version FROM warehouse.transactions"))
        .containsExactly(List.of("12.00", "v2"));
  }

  @Test
  void theCopyFirstThenTheLiveUpdateAlsoEndsOnTheNewestVersion() throws Exception {
    ok(
        Invocations.invoke(
            handler(V1_RING),
            StreamEvents.startingAt(1).insert(tx("t-1", "user-a", "10.00")),
            null));
    StreamHandler v2 = handler(V2_RING);
    ok(
        Invocations.invoke(
            v2, StreamEvents.startingAt(1, SHADOW).insert(tx("t-1", "user-a", "10.00")), null));
    assertThat(rows("SELECT amount, key_version FROM warehouse.transactions"))
        .containsExactly(List.of("10.00", "v2"));
    TransactionItem newer = tx("t-1", "user-a", "12.00").s("updatedAt", "2026-01-01T10:00:30Z");
    ok(
        Invocations.invoke(
            v2, StreamEvents.startingAt(2).modify(tx("t-1", "user-a", "10.00"), newer), null));
    assertThat(rows("SELECT amount, key_version FROM warehouse.transactions"))
        .containsExactly(List.of("12.00", "v2"));
  }

  private static TransactionItem tx(String id, String user, String amount) {
    return TransactionItem.of(id).s("userId", user).n("amount", amount);
  }

  private static StreamEvents profiles(String arn, long first, String... users) {
    StreamEvents events = StreamEvents.startingAt(first, arn);
    for (String u : users) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("userId", Map.of("S", u));
      p.put("country", Map.of("S", "DE"));
      p.put("updatedAt", Map.of("S", "2026-01-01T10:00:00Z"));
      events.add("INSERT", Map.of("userId", Map.of("S", u)), p, null, false);
    }
    return events;
  }

  private StreamHandler handler(String ring) throws Exception {
    Map<String, String> env = new HashMap<>(DB.writerEnvironment());
    Path secret = Files.createTempFile(dir, "ring", ".json");
    Files.writeString(secret, ring);
    env.put("HMAC_SECRET_FILE", secret.toString());
    return StreamHandler.fromEnvironment(env, BatchObserver.NONE);
  }

  private static void ok(StreamsEventResponse r) {
    assertThat(r.getBatchItemFailures()).isEmpty();
  }

  private static List<List<String>> rows(String sql) throws Exception {
    return WarehouseRows.query(DB, sql);
  }
}
