package dev.ddbwarehouse.local.cli;

import dev.ddbwarehouse.core.pseudonym.KeyRing;
import dev.ddbwarehouse.core.pseudonym.Pseudonymiser;
import dev.ddbwarehouse.local.dynamo.SourceScan;
import dev.ddbwarehouse.local.dynamo.SourceTable;
import dev.ddbwarehouse.local.synth.ProfileWorkload;
import dev.ddbwarehouse.local.warehouse.WarehouseReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The source tables of one run and how each one's items are found in the warehouse, so the report
 * counts this run's rows only, whatever else a {@code --jdbc-url} database holds.
 */
final class RunTables {

  /**
   * One source table as the report counts it.
   *
   * @param entry the mapping entry's name, as reports and metrics call the table
   * @param view the bi view its live rows appear in
   * @param keyColumn the view's key column
   * @param warehouseKey the key column's value for a source key (the pseudonym for profiles)
   */
  record Reported(
      String entry,
      SourceTable table,
      String keyAttribute,
      String view,
      String keyColumn,
      UnaryOperator<String> warehouseKey) {}

  /** Counts of one table: items in DynamoDB Local now, and their live rows in the warehouse. */
  record Counts(String entry, String source, String view, long sourceItems, long warehouseRows) {}

  private final List<Reported> tables;

  RunTables(SourceTable transactions, SourceTable profiles, Path hmacKeyFile) {
    // The built-in user_profiles entry keys its rows by the userId's pseudonym (namespace user,
    // trimmed): recomputed here with the run's key, so the count needs no raw id in the warehouse.
    Pseudonymiser pseudonyms = new Pseudonymiser(keyRing(hmacKeyFile));
    this.tables =
        List.of(
            new Reported(
                "transactions",
                transactions,
                SourceTable.PARTITION_KEY,
                "bi.transactions",
                "transaction_id",
                UnaryOperator.identity()),
            new Reported(
                "user_profiles",
                profiles,
                ProfileWorkload.PARTITION_KEY,
                "bi.user_profiles",
                "user_pseudonym",
                userId -> pseudonyms.pseudonym("user", userId.strip())));
  }

  List<Reported> tables() {
    return tables;
  }

  List<Counts> count(DynamoDbClient dynamoDb, Connection admin) throws SQLException {
    List<Counts> counts = new ArrayList<>();
    for (Reported t : tables) {
      List<String> keys = SourceScan.keys(dynamoDb, t.table().name(), t.keyAttribute());
      List<String> warehouseKeys = keys.stream().map(t.warehouseKey()).toList();
      counts.add(
          new Counts(
              t.entry(),
              t.table().name(),
              t.view(),
              keys.size(),
              WarehouseReport.liveRowsOf(admin, t.view(), t.keyColumn(), warehouseKeys)));
    }
    return counts;
  }

  private static KeyRing keyRing(Path file) {
    try {
      return KeyRing.parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the HMAC key file " + file, e);
    }
  }
}
