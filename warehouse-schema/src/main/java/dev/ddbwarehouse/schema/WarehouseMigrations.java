package dev.ddbwarehouse.schema;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the warehouse migrations. For deploy tooling, the local runtime and tests; the Lambda
 * never migrates (its database user has DML rights only).
 */
public final class WarehouseMigrations {

  /** Classpath location of the migration scripts. */
  public static final String LOCATION = "classpath:db/migration";

  private WarehouseMigrations() {}

  /** Migrates the database to the latest version; returns how many migrations were applied. */
  public static int migrate(String jdbcUrl, String user, String password) {
    return migrate(jdbcUrl, user, password, new String[0]);
  }

  /**
   * Migrates with further migration locations after the warehouse's own (tests add tables of their
   * own this way, exactly as a user adds one: a migration, no Java).
   */
  public static int migrate(String jdbcUrl, String user, String password, String... more) {
    String[] locations = new String[more.length + 1];
    locations[0] = LOCATION;
    System.arraycopy(more, 0, locations, 1, more.length);
    MigrateResult result =
        Flyway.configure(WarehouseMigrations.class.getClassLoader())
            .dataSource(jdbcUrl, user, password)
            .locations(locations)
            .load()
            .migrate();
    return result.migrationsExecuted;
  }
}
