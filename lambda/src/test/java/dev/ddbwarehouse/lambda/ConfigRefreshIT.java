package dev.ddbwarehouse.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.core.pseudonym.KeyRingChange;
import dev.ddbwarehouse.testing.AwsTestEndpoint;
import dev.ddbwarehouse.testing.Invocations;
import dev.ddbwarehouse.testing.StreamEvents;
import dev.ddbwarehouse.testing.TestKeys;
import dev.ddbwarehouse.testing.TransactionItem;
import dev.ddbwarehouse.testing.WarehouseRows;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A key rotation or a mapping change reaches a running function: after a SnapStart restore and on
 * the SECRETS_REFRESH_SECONDS schedule, through the real SDK clients against a Secrets Manager and
 * SSM endpoint; a change that fails its checks keeps the last good configuration.
 */
class ConfigRefreshIT {

  private static final TestWarehouse DB = TestWarehouse.shared();
  private static final String HMAC = "prod/etl/hmac";
  private static final String DB_SECRET = "prod/etl/db";
  private static final String PARAM = "/ddb-warehouse/prod/config";
  private static final String ROTATED =
      KeyRingChange.rotate(TestKeys.SECRET_JSON, "test", new SecureRandom()).secretJson();

  private AwsTestEndpoint aws;
  private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
  private final MovableClock clock = new MovableClock();
  private long sequence = 1;

  @BeforeEach
  void start() {
    DB.truncateAll();
    URI url = URI.create(DB.jdbcUrl().substring("jdbc:".length()));
    aws = AwsTestEndpoint.start();
    aws.secret(HMAC, TestKeys.SECRET_JSON)
        .secret(
            DB_SECRET,
            "{\"engine\":\"postgres\",\"host\":\""
                + url.getHost()
                + "\",\"port\":"
                + url.getPort()
                + ",\"dbname\":\""
                + url.getPath().substring(1)
                + "\",\"username\":\""
                + TestWarehouse.WRITER_USER
                + "\",\"password\":\""
                + TestWarehouse.TEST_PASSWORD
                + "\"}")
        .parameter(PARAM, "{\"tables\": {\"transactions\": {}}}");
  }

  @AfterEach
  void stop() {
    aws.close();
  }

  @Test
  void afterARestoreTheNextBatchUsesTheRotatedKey() throws Exception {
    LivePipeline live = live(Map.of());
    StreamHandler handler = new StreamHandler(live);
    write(handler, "t-1");
    int reads = aws.reads(HMAC);

    aws.secret(HMAC, ROTATED);
    write(handler, "t-2");
    assertThat(keyVersion("t-2")).as("no refresh due: the snapshot's key").isEqualTo("v1");

    SnapStartHooks.register(live).afterRestore(null);
    write(handler, "t-3");

    assertThat(keyVersion("t-3")).isEqualTo("v2");
    assertThat(aws.reads(HMAC))
        .as("one re-read, at the first invocation after the restore")
        .isEqualTo(reads + 1);
    assertThat(logs()).contains("configuration reloaded").contains("\"activeKeyVersion\":\"v2\"");
    assertThat(logs()).doesNotContain(TestKeys.KEY_BASE64);
  }

  @Test
  void anUnchangedConfigurationIsReadButNotRebuilt() throws Exception {
    LivePipeline live = live(Map.of());
    StreamHandler handler = new StreamHandler(live);
    write(handler, "t-1");
    Pipeline before = live.current();

    SnapStartHooks.register(live).afterRestore(null);
    write(handler, "t-2");

    assertThat(live.current())
        .as("same versions: nothing parsed, nothing rebuilt")
        .isSameAs(before);
    assertThat(logs()).doesNotContain("configuration reloaded");
  }

  @Test
  void theRefreshScheduleReReadsWithoutARestore() throws Exception {
    LivePipeline live = live(Map.of("SECRETS_REFRESH_SECONDS", "60"));
    StreamHandler handler = new StreamHandler(live);
    write(handler, "t-1");
    aws.secret(HMAC, ROTATED);

    clock.advance(Duration.ofSeconds(59));
    write(handler, "t-2");
    clock.advance(Duration.ofSeconds(2));
    write(handler, "t-3");

    assertThat(keyVersion("t-2")).isEqualTo("v1");
    assertThat(keyVersion("t-3")).isEqualTo("v2");
  }

  @Test
  void anInvalidChangeKeepsTheLastGoodConfigurationLoudly() throws Exception {
    LivePipeline live = live(Map.of());
    StreamHandler handler = new StreamHandler(live);
    write(handler, "t-1");

    aws.parameter(
        PARAM,
        "{\"tables\": {\"transactions\": {\"attributes\": {\"userId\": {\"treatment\": \"shred\"}}}}}");
    SnapStartHooks.register(live).afterRestore(null);
    write(handler, "t-2");
    // A table the warehouse does not have: refused by the check against the jOOQ catalog.
    aws.parameter(
        PARAM,
        "{\"tables\": {\"orders\": {\"source\": \"orders\", \"target\": \"warehouse.orders\", \"key\": [\"id\"], \"attributes\": {\"id\": {\"treatment\": \"keep\", \"column\": \"id\"}}}}}");
    SnapStartHooks.register(live).afterRestore(null);
    write(handler, "t-3");

    assertThat(WarehouseRows.query(DB, "SELECT count(*) FROM warehouse.transactions"))
        .as("batches go on with the last good configuration")
        .containsExactly(List.of("3"));
    String text = logs();
    assertThat(text.lines().filter(l -> l.contains("changed configuration refused")))
        .hasSize(2)
        .allSatisfy(l -> assertThat(l).contains("\"level\":\"ERROR\""));
    assertThat(text).contains("shred").contains("warehouse.orders");
    assertThat(text.lines().filter(l -> l.contains("\"ConfigurationRefused\":1"))).hasSize(2);

    aws.parameter(PARAM, "{\"tables\": {\"transactions\": {\"ttlDeletes\": \"soft-delete\"}}}");
    SnapStartHooks.register(live).afterRestore(null);
    write(handler, "t-4");
    assertThat(live.current()).isNotNull();
    assertThat(logs()).contains("configuration reloaded").contains("\"mappingChanged\":true");
  }

  private LivePipeline live(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(aws.environment(HMAC, DB_SECRET, PARAM));
    env.putAll(extra);
    return LivePipeline.fromEnvironment(
        env, BatchObserver.NONE, new PrintStream(logs, true, StandardCharsets.UTF_8), clock);
  }

  private void write(StreamHandler handler, String id) {
    assertThat(
            Invocations.invoke(
                    handler,
                    StreamEvents.startingAt(sequence++).insert(TransactionItem.of(id)),
                    null)
                .getBatchItemFailures())
        .isEmpty();
  }

  private static String keyVersion(String id) throws Exception {
    return WarehouseRows.query(
            DB,
            "SELECT key_version FROM warehouse.transactions WHERE transaction_id = '" + id + "'")
        .get(0)
        .get(0);
  }

  private String logs() {
    return logs.toString(StandardCharsets.UTF_8);
  }

  /** A clock the test moves: the refresh schedule without waiting. */
  private static final class MovableClock extends Clock {
    private volatile Instant now = Instant.now();

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
