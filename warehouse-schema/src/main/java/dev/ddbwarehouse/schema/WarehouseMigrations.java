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
    MigrateResult result =
        Flyway.configure(WarehouseMigrations.class.getClassLoader())
            .dataSource(jdbcUrl, user, password)
            .locations(LOCATION)
            .load()
            .migrate();
    return result.migrationsExecuted;
  }
}
