package dev.ddbwarehouse.local.cli;

import dev.ddbwarehouse.local.stream.PollerSettings;
import dev.ddbwarehouse.local.warehouse.LocalWarehouse;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A run-local invocation after every option was checked: nothing in here can fail later for a
 * reason the command line could have shown. Built by {@link RunLocal#plan()} before anything
 * starts.
 *
 * @param database the user's PostgreSQL, or empty for the embedded one
 * @param hmacSecretFile the key file named, or null for the generated local one
 * @param mappingFile the mapping document named, or null for the built-in policy
 * @param exportSource where to write the source items, or null
 */
record RunPlan(
    int items,
    int preexisting,
    long seed,
    int updates,
    int deletes,
    PollerSettings mapping,
    Optional<LocalWarehouse.Login> database,
    Path hmacSecretFile,
    Path mappingFile,
    Path exportSource,
    boolean serve,
    Rate rate) {

  /** The built-in {@code transactions} entry's source table: the mapping routes by this name. */
  static final String TRANSACTIONS_TABLE = "transactions";

  /**
   * The stream records the timed part causes, known before it starts: every insert, and as many
   * updates and deletes as there are live items to pick (the workload takes no more).
   */
  long expectedStreamRecords() {
    long live = (long) preexisting + items;
    return items + Math.min(updates, live) + Math.min(deletes, live);
  }

  /** Profile updates: a few, a tenth of the transactions' status updates. */
  int profileUpdates() {
    return updates / 10;
  }
}
