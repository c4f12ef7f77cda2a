package dev.ddbwarehouse.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.core.pseudonym.KeyRing;
import dev.ddbwarehouse.core.pseudonym.Pseudonymiser;
import dev.ddbwarehouse.testing.HandlerLogs;
import dev.ddbwarehouse.testing.Invocations;
import dev.ddbwarehouse.testing.StreamEvents;
import dev.ddbwarehouse.testing.TestKeys;
import dev.ddbwarehouse.testing.TransactionItem;
import dev.ddbwarehouse.testing.WarehouseRows;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two tables through the one handler, as the built-in mapping declares them: user profiles and
 * transactions, pseudonymised in the same namespaces, joined by analysts on user_pseudonym.
 */
class MultiTableIT {

  private static final TestWarehouse DB = TestWarehouse.shared();
  private static final String PROFILES_ARN =
      "arn:aws:dynamodb:eu-west-1:123456789012:table/user-profiles/stream/2026-01-01T00:00:00.000";
  private static final Pseudonymiser PSEUDONYMS =
      new Pseudonymiser(KeyRing.parse(TestKeys.SECRET_JSON, "test"));

  /** Identifying or exact values of the profiles: none may reach the warehouse or a log. */
  private static final List<String> CANARIES =
      List.of(
          "canary-user-1",
          "canary-user-2",
          "Canary.One@Example.com",
          "+49 151 5550001",
          "Carla Canary",
          "10115-canary",
          "1987-03-14",
          "2024-05-17T09:30:00Z");

  private StreamHandler handler;

  @BeforeEach
  void setUp() {
    DB.truncateAll();
    handler =
        StreamHandler.fromEnvironment(
            TestKeys.environment(DB.writerEnvironment()), BatchObserver.NONE);
  }

  private static Map<String, Object> s(String value) {
    return Map.of("S", value);
  }

  private static Map<String, Object> profile(String userId, String birthDate, String sex) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("userId", s(userId));
    p.put(
        "email",
        s(userId.equals("canary-user-1") ? "Canary.One@Example.com" : userId + "@example.com"));
    p.put("phone", s(userId.equals("canary-user-1") ? "+49 151 5550001" : "+49 151 5550002"));
    p.put("fullName", s("Carla Canary"));
    p.put("birthDate", s(birthDate));
    p.put("sex", s(sex));
    p.put("country", s("DE"));
    p.put("postcode", s("10115-canary"));
    p.put("signupAt", s("2024-05-17T09:30:00Z"));
    p.put("marketingOptIn", Map.of("BOOL", true));
    p.put("updatedAt", s("2026-01-01T09:00:00Z"));
    return p;
  }

  private static StreamEvents profiles(long firstSequence, Map<String, Object>... images) {
    StreamEvents events = StreamEvents.startingAt(firstSequence, PROFILES_ARN);
    for (Map<String, Object> p : images) {
      events.add("INSERT", Map.of("userId", p.get("userId")), p, null, false);
    }
    return events;
  }

  private static StreamEvents transactions(long firstSequence) {
    return StreamEvents.startingAt(firstSequence)
        .insert(TransactionItem.of("t-1").s("userId", "canary-user-1").n("amount", "10.00"))
        .insert(TransactionItem.of("t-2").s("userId", "canary-user-1").n("amount", "5.50"))
        .insert(TransactionItem.of("t-3").s("userId", "canary-user-2").n("amount", "7.25"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void profilesAndTransactionsLandInTheirTablesAndJoinOnTheUserPseudonym() throws Exception {
    StreamsEventResponse p =
        Invocations.invoke(
            handler,
            profiles(
                1,
                profile("canary-user-1", "1987-03-14", "female"),
                profile("canary-user-2", "1992-11-02", "unknown")),
            null);
    StreamsEventResponse t = Invocations.invoke(handler, transactions(1), null);

    assertThat(p.getBatchItemFailures()).isEmpty();
    assertThat(t.getBatchItemFailures()).isEmpty();
    String user1 = PSEUDONYMS.pseudonym("user", "canary-user-1");
    assertThat(
            rows(
                "SELECT user_pseudonym, birth_year_band, sex, signup_month::text AS signup_month,"
                    + " marketing_opt_in, email_pseudonym FROM bi.user_profiles"
                    + " ORDER BY birth_year_band"))
        .containsExactly(
            List.of(
                user1,
                "1985",
                "female",
                "2024-05-01",
                "t",
                PSEUDONYMS.pseudonym("email", "canary.one@example.com")),
            List.of(
                PSEUDONYMS.pseudonym("user", "canary-user-2"),
                "1990",
                "null",
                "2024-05-01",
                "t",
                PSEUDONYMS.pseudonym("email", "canary-user-2@example.com")));
    assertThat(
            rows(
                "SELECT p.birth_year_band, count(*), sum(t.amount) FROM bi.transactions t"
                    + " JOIN bi.user_profiles p USING (user_pseudonym)"
                    + " GROUP BY 1 ORDER BY 1"))
        .as("spend per birth-year band: the join on the pseudonym")
        .containsExactly(List.of("1985", "2", "15.50"), List.of("1990", "1", "7.25"));
    assertNoCanary();
  }

  @Test
  void aProfileUpdateAndDeleteFollowTheVersionAndTheStream() throws Exception {
    Map<String, Object> v1 = profile("canary-user-1", "1987-03-14", "female");
    Map<String, Object> v2 = new LinkedHashMap<>(v1);
    v2.put("country", s("FR"));
    v2.put("updatedAt", s("2026-01-01T09:30:00Z"));
    Invocations.invoke(handler, profiles(1, v1), null);
    Invocations.invoke(
        handler,
        StreamEvents.startingAt(2, PROFILES_ARN)
            .add("MODIFY", Map.of("userId", v2.get("userId")), v2, v1, false),
        null);
    assertThat(rows("SELECT country FROM bi.user_profiles")).containsExactly(List.of("FR"));

    Invocations.invoke(
        handler,
        StreamEvents.startingAt(3, PROFILES_ARN)
            .add("REMOVE", Map.of("userId", v2.get("userId")), null, v2, false),
        null);
    assertThat(rows("SELECT count(*) FROM bi.user_profiles")).containsExactly(List.of("0"));
    assertThat(rows("SELECT count(*) FROM warehouse.user_profiles WHERE deleted_at IS NOT NULL"))
        .containsExactly(List.of("1"));
  }

  @Test
  void aPoisonProfileIsQuarantinedUnderItsPseudonymisedKey(@TempDir Path dir) throws Exception {
    Map<String, Object> bad = profile("canary-user-1", "14.03.1987", "female");
    String logs =
        HandlerLogs.text(
            DB.writerEnvironment(),
            dir,
            "{\"tables\": {\"transactions\": {}, \"user_profiles\": {}}}",
            profiles(1, bad, profile("canary-user-2", "1992-11-02", "male")));

    assertThat(
            rows(
                "SELECT source_table, source_key->>'user_pseudonym', error_code, attribute"
                    + " FROM etl.quarantine"))
        .containsExactly(
            List.of(
                "user-profiles",
                PSEUDONYMS.pseudonym("user", "canary-user-1"),
                "INVALID_TIMESTAMP",
                "birthDate"));
    assertThat(rows("SELECT count(*) FROM bi.user_profiles")).containsExactly(List.of("1"));
    assertThat(logs).doesNotContain(CANARIES).doesNotContain("14.03.1987");
    assertNoCanary();
  }

  @Test
  void aBatchFromATableNoEntryNamesIsReportedForRetryWithItsName(@TempDir Path dir)
      throws Exception {
    StreamEvents orders =
        StreamEvents.startingAt(
                7,
                "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000")
            .insert(TransactionItem.of("o-1"));
    String logs =
        HandlerLogs.text(
            DB.writerEnvironment(),
            dir,
            "{\"tables\": {\"transactions\": {}, \"user_profiles\": {}}}",
            orders);
    StreamsEventResponse response = Invocations.invoke(handler, orders, null);

    assertThat(response.getBatchItemFailures())
        .singleElement()
        .satisfies(f -> assertThat(f.getItemIdentifier()).isEqualTo(StreamEvents.sequence(7)));
    assertThat(logs).contains("DynamoDB table orders").contains("no entry of the mapping document");
    assertThat(rows("SELECT count(*) FROM warehouse.transactions")).containsExactly(List.of("0"));
    assertThat(rows("SELECT count(*) FROM etl.quarantine")).containsExactly(List.of("0"));
  }

  @Test
  void biReaderReadsTheProfilesViewAndNothingBehindIt() throws Exception {
    Invocations.invoke(
        handler, profiles(1, profile("canary-user-1", "1987-03-14", "female")), null);
    try (Connection c = DB.readerConnection();
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM bi.user_profiles")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(1);
      }
      for (String behind : List.of("warehouse.user_profiles", "etl.quarantine")) {
        SQLException refused =
            org.assertj.core.api.Assertions.catchThrowableOfType(
                SQLException.class, () -> s.executeQuery("SELECT count(*) FROM " + behind));
        assertThat((Object) refused).as(behind).isNotNull();
        assertThat(refused.getSQLState()).as(behind).isEqualTo("42501");
      }
    }
    try (Connection c = DB.adminConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT string_agg(privilege_type, ',' ORDER BY privilege_type)"
                    + " FROM information_schema.role_table_grants"
                    + " WHERE grantee = 'etl_writer' AND table_name = 'user_profiles'")) {
      rs.next();
      assertThat(rs.getString(1))
          .as("the DML the sink needs, nothing else")
          .isEqualTo("INSERT,SELECT,UPDATE");
    }
  }

  /** No canary in any table or view of any schema the pipeline writes or analysts read. */
  private static void assertNoCanary() throws SQLException {
    String dump =
        String.join(
            "\n",
            rows("SELECT string_agg(x, ' ') FROM ("
                    + " SELECT to_jsonb(t)::text x FROM warehouse.user_profiles t"
                    + " UNION ALL SELECT to_jsonb(t)::text FROM warehouse.transactions t"
                    + " UNION ALL SELECT to_jsonb(q)::text FROM etl.quarantine q"
                    + " UNION ALL SELECT to_jsonb(v)::text FROM bi.user_profiles v"
                    + " UNION ALL SELECT to_jsonb(v)::text FROM bi.transactions v) d")
                .get(0));
    assertThat(dump).isNotBlank().doesNotContain(CANARIES);
  }

  private static List<List<String>> rows(String sql) throws SQLException {
    return WarehouseRows.query(DB, sql);
  }
}
