package dev.ddbwarehouse.db;

/**
 * Where the connection settings come from, so that a rotated password can be picked up without a
 * new execution environment.
 */
public interface DatabaseCredentials {

  /** The settings to connect with now (cached; re-read once a refresh interval has passed). */
  DatabaseSettings current();

  /** Re-reads the settings now: after the database refused the cached password. */
  DatabaseSettings reload();

  /**
   * Forgets the cached settings, so the next {@link #current()} reads them (after a snapshot
   * restore).
   */
  void expire();

  static DatabaseCredentials fixed(DatabaseSettings settings) {
    return new DatabaseCredentials() {
      @Override
      public DatabaseSettings current() {
        return settings;
      }

      @Override
      public DatabaseSettings reload() {
        return settings;
      }

      @Override
      public void expire() {}
    };
  }
}
