package dev.ddbwarehouse.config;

import dev.ddbwarehouse.db.DatabaseCredentials;
import dev.ddbwarehouse.db.DatabaseSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** Database settings read from a secret, cached, refreshed after a TTL or on demand. */
final class SecretBackedCredentials implements DatabaseCredentials {

  private final Supplier<DatabaseSettings> loader;
  private final Duration ttl;
  private final Clock clock;
  private DatabaseSettings cached;
  private Instant loadedAt;

  /** {@code ttl} zero means: read once, then only on {@link #reload()} or {@link #expire()}. */
  SecretBackedCredentials(Supplier<DatabaseSettings> loader, Duration ttl, Clock clock) {
    this.loader = loader;
    this.ttl = ttl;
    this.clock = clock;
    reload();
  }

  @Override
  public synchronized DatabaseSettings current() {
    boolean stale =
        cached == null || (!ttl.isZero() && clock.instant().isAfter(loadedAt.plus(ttl)));
    return stale ? reload() : cached;
  }

  @Override
  public synchronized DatabaseSettings reload() {
    cached = loader.get();
    loadedAt = clock.instant();
    return cached;
  }

  @Override
  public synchronized void expire() {
    cached = null;
  }
}
