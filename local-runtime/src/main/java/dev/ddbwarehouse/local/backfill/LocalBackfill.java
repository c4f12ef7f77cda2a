package dev.ddbwarehouse.local.backfill;

import dev.ddbwarehouse.backfill.BackfillException.Refused;
import dev.ddbwarehouse.backfill.copy.Backoff;
import dev.ddbwarehouse.backfill.copy.CheckpointFile;
import dev.ddbwarehouse.backfill.copy.CopyListener;
import dev.ddbwarehouse.backfill.copy.CopyResult;
import dev.ddbwarehouse.backfill.copy.CopySettings;
import dev.ddbwarehouse.backfill.copy.ParallelCopy;
import dev.ddbwarehouse.backfill.drain.Drain;
import dev.ddbwarehouse.backfill.drain.StreamDrainCheck;
import dev.ddbwarehouse.backfill.drain.StreamPositions;
import dev.ddbwarehouse.backfill.drain.Teardown;
import dev.ddbwarehouse.backfill.table.ShadowTables;
import dev.ddbwarehouse.backfill.table.TableInfo;
import dev.ddbwarehouse.backfill.table.Tables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The backfill in one process with a local stream poller (DynamoDB Local, the local runtime's event
 * source mapping): create-shadow, attach, copy, then teardown once drained. "Attach" here means the
 * caller's poller also reads the shadow table's stream and invokes the same function.
 *
 * <p>Order of operations, as in AWS: the live mapping must already poll the source's stream when
 * {@link #load} is called, so every change made during the copy reaches the warehouse through it;
 * the warehouse's version guard makes the copied (possibly older) images harmless.
 */
public final class LocalBackfill {

  /** The caller's stream poller; see {@link LocalBackfill}. */
  public interface ShadowPoller {

    /**
     * Starts reading {@code streamArn} from its first record, with the live mapping's settings and
     * function, and reports every settled record (committed, or reported after its retries) to
     * {@code positions}.
     */
    void attach(String shadowTable, String streamArn, StreamPositions positions);

    /** Stops reading {@code streamArn}. */
    void detach(String streamArn);
  }

  /**
   * @param rate client-side limit, items/s; 0 = unlimited
   * @param checkpoint the copy's checkpoint file
   */
  public record Settings(
      String source, String shadow, int segments, int pageSize, double rate, Path checkpoint) {

    /**
     * Shadow {@code <source>-backfill}, 4 segments, pages of 1,000, no rate limit, a fresh
     * checkpoint.
     */
    public static Settings of(String source) {
      try {
        Path dir = Files.createTempDirectory("backfill-");
        String shadow = ShadowTables.defaultName(source);
        return new Settings(
            source, shadow, 4, 1000, 0, CheckpointFile.defaultPath(dir, source, shadow));
      } catch (IOException e) {
        throw new UncheckedIOException("no temporary folder for the backfill checkpoint", e);
      }
    }

    public Settings withRate(double itemsPerSecond) {
      return new Settings(source, shadow, segments, pageSize, itemsPerSecond, checkpoint);
    }

    public Settings withSegments(int count) {
      return new Settings(source, shadow, count, pageSize, rate, checkpoint);
    }
  }

  /** A loaded backfill: the shadow, its stream and the copy's counts. */
  public record Loaded(
      String source, String shadow, String streamArn, CopyResult copy, StreamPositions positions) {}

  private final DynamoDbClient dynamoDb;
  private final DynamoDbStreamsClient streams;
  private final ShadowPoller poller;
  private final Tables tables;

  public LocalBackfill(
      DynamoDbClient dynamoDb, DynamoDbStreamsClient streams, ShadowPoller poller) {
    this.dynamoDb = dynamoDb;
    this.streams = streams;
    this.poller = poller;
    this.tables = new Tables(dynamoDb);
  }

  /** create-shadow, attach, copy; returns when the copy is done (the poller may still be busy). */
  public Loaded load(Settings settings, CopyListener listener) throws InterruptedException {
    TableInfo source = tables.describe(settings.source());
    if (!source.hasStream()) {
      throw new Refused(
          "source "
              + source.name()
              + " has no stream: changes during the copy would be lost; enable the stream"
              + " and start the live mapping first");
    }
    TableInfo shadow =
        new ShadowTables(tables).create(settings.source(), settings.shadow()).shadow();
    StreamPositions positions = new StreamPositions();
    poller.attach(shadow.name(), shadow.streamArn(), positions);
    CopySettings copy =
        new CopySettings(
            settings.source(),
            shadow.name(),
            settings.segments(),
            settings.pageSize(),
            settings.rate(),
            Backoff.defaults());
    CheckpointFile checkpoint =
        CheckpointFile.start(
            settings.checkpoint(), settings.source(), shadow.name(), settings.segments());
    CopyResult result = new ParallelCopy(dynamoDb, copy, checkpoint, listener).run();
    return new Loaded(settings.source(), shadow.name(), shadow.streamArn(), result, positions);
  }

  public Drain drain(Loaded loaded) {
    return new StreamDrainCheck(streams, loaded.streamArn(), loaded.positions()).check();
  }

  /** Polls {@link #drain} until drained or {@code max} passed; returns the last answer. */
  public Drain awaitDrained(Loaded loaded, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    Drain drain = drain(loaded);
    while (!drain.drained() && System.nanoTime() < deadline) {
      Thread.sleep(100);
      drain = drain(loaded);
    }
    return drain;
  }

  /**
   * Detaches the poller and deletes the shadow, or refuses (NotDrained) while records are unread.
   */
  public Teardown.Done teardown(Loaded loaded) throws InterruptedException {
    return new Teardown(tables)
        .run(
            loaded.shadow(),
            loaded.source(),
            () -> drain(loaded),
            () -> poller.detach(loaded.streamArn()));
  }
}
