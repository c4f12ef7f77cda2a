package dev.ddbwarehouse.local.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbwarehouse.backfill.BackfillException;
import dev.ddbwarehouse.backfill.copy.CopyListener;
import dev.ddbwarehouse.backfill.drain.StreamPositions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Teardown deletes the shadow only once the function has read its whole stream. */
class TeardownIT {

  private final LocalHarness local = LocalHarness.shared();

  @BeforeEach
  void cleanWarehouse() {
    local.warehouse.truncateAll();
  }

  @AfterEach
  void stopPollers() {
    local.stopAll();
  }

  @Test
  void teardownRefusesWhileTheShadowStreamHasUnreadRecords() throws Exception {
    String source = local.createSourceWithoutStream(LocalHarness.uniqueName("teardown"));
    local.writeItems(source, 5_005, 500);
    local.poll(local.enableStream(source), new StreamPositions());
    LocalHarness.DeferredShadowPoller poller = local.new DeferredShadowPoller();
    LocalBackfill backfill = new LocalBackfill(local.dynamoDb(), local.dynamo.streams(), poller);
    LocalBackfill.Loaded loaded = backfill.load(LocalHarness.settings(source), CopyListener.NONE);

    assertThatThrownBy(() -> backfill.teardown(loaded))
        .isInstanceOf(BackfillException.NotDrained.class)
        .hasMessageContaining("not drained")
        .hasMessageContaining("unread record");
    CliRun cli =
        CliRun.of(
            "teardown",
            "--shadow",
            loaded.shadow(),
            "--detached-confirmed",
            "--endpoint-url",
            local.dynamo.endpoint().toString(),
            "--jdbc-url",
            local.warehouse.jdbcUrl(),
            "--db-user",
            "etl_test_writer",
            "--db-password-file",
            local.passwordFile().toString(),
            "--mapping",
            local.mappingFile.toString());
    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(4);
    assertThat(cli.err())
        .contains("refusing to tear down")
        .contains("500 not yet in the warehouse");
    assertThat(local.dynamoDb().listTables().tableNames())
        .as("still there")
        .contains(loaded.shadow());

    poller.release();
    assertThat(backfill.awaitDrained(loaded, Duration.ofMinutes(1)).drained()).isTrue();
    backfill.teardown(loaded);
    assertThat(local.dynamoDb().listTables().tableNames()).doesNotContain(loaded.shadow());
  }

  @Test
  void teardownNeverDeletesATableThatIsNotAShadow() {
    String source = local.createSourceWithoutStream(LocalHarness.uniqueName("not-a-shadow"));
    local.enableStream(source);

    CliRun cli =
        CliRun.of(
            "teardown",
            "--shadow",
            source,
            "--detached-confirmed",
            "--endpoint-url",
            local.dynamo.endpoint().toString(),
            "--jdbc-url",
            local.warehouse.jdbcUrl(),
            "--db-password-file",
            local.passwordFile().toString(),
            "--mapping",
            local.mappingFile.toString());

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).contains("does not look like a shadow");
    assertThat(local.dynamoDb().listTables().tableNames()).contains(source);
  }
}
