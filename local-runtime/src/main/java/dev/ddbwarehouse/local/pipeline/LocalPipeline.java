package dev.ddbwarehouse.local.pipeline;

import dev.ddbwarehouse.local.dynamo.DynamoDbLocal;
import dev.ddbwarehouse.local.dynamo.SourceTable;
import dev.ddbwarehouse.local.stream.DeliveryListener;
import dev.ddbwarehouse.local.stream.EventSourceMapping;
import dev.ddbwarehouse.local.stream.PollerSettings;
import dev.ddbwarehouse.local.stream.StreamBatchFunction;
import dev.ddbwarehouse.local.synth.ProfileFaker;
import dev.ddbwarehouse.local.synth.ProfileWorkload;
import dev.ddbwarehouse.local.synth.SourceWorkload;
import dev.ddbwarehouse.local.synth.TransactionFaker;
import dev.ddbwarehouse.local.synth.WriteLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * DynamoDB Local → event source mapping → real handler → warehouse, wired once. Each polled table
 * gets its own mapping on its own thread, all invoking the same handler, as two Lambda event source
 * mappings on one function would.
 */
public final class LocalPipeline implements AutoCloseable {

  private final DynamoDbLocal dynamo;
  private final PollerSettings mapping;
  private final StreamBatchFunction function;
  private final WriteLog writes = new WriteLog();
  private final RunStats stats = new RunStats(writes);
  private final List<Thread> pollers = new ArrayList<>();
  private final AtomicReference<RuntimeException> pollerFailure = new AtomicReference<>();
  private volatile boolean stopping;

  /**
   * @param decorate wraps the real function, e.g. to inject failures in tests; identity otherwise
   */
  public LocalPipeline(
      DynamoDbLocal dynamo,
      PollerSettings mapping,
      WarehouseFunction.Settings handler,
      UnaryOperator<StreamBatchFunction> decorate) {
    this.dynamo = dynamo;
    this.mapping = mapping;
    this.function = decorate.apply(WarehouseFunction.create(handler, stats));
  }

  public SourceTable createTable(String name) {
    return SourceTable.create(dynamo.dynamoDb(), name);
  }

  /** A table keyed by another attribute than the transactions' (e.g. the profiles'). */
  public SourceTable createTable(String name, String partitionKey) {
    return SourceTable.create(dynamo.dynamoDb(), name, partitionKey);
  }

  /** Profiles for the built-in {@code user-profiles} table, logging into this pipeline. */
  public ProfileWorkload profiles(long seed) {
    return new ProfileWorkload(
        dynamo.dynamoDb(), ProfileWorkload.TABLE, new ProfileFaker(seed), writes);
  }

  /** Starts a poller for the table's stream. */
  public void poll(SourceTable table) {
    poll(table, DeliveryListener.NONE);
  }

  /**
   * Starts a poller for the table's stream (e.g. a backfill's shadow) that also tells {@code extra}
   * what became of each record; its records count in {@link #stats} like the source's. Closing the
   * handle stops this poller only and waits for it.
   */
  public AutoCloseable poll(SourceTable table, DeliveryListener extra) {
    AtomicBoolean stopThis = new AtomicBoolean();
    DeliveryListener listener =
        extra == DeliveryListener.NONE ? stats : DeliveryListener.both(stats, extra);
    EventSourceMapping esm =
        new EventSourceMapping(dynamo.streams(), table.streamArn(), mapping, function, listener);
    Thread thread =
        Thread.ofPlatform()
            .name("esm-" + table.name())
            .unstarted(
                () -> {
                  try {
                    esm.runUntil(() -> stopping || stopThis.get());
                  } catch (RuntimeException e) {
                    pollerFailure.compareAndSet(null, e);
                  }
                });
    synchronized (pollers) {
      pollers.add(thread);
    }
    thread.start();
    return () -> {
      stopThis.set(true);
      thread.join(10_000);
    };
  }

  /** A workload on a table that may have no stream yet, logging into this pipeline. */
  public SourceWorkload workload(String table, long seed, int expectedItems, int threads) {
    return new SourceWorkload(
        dynamo.dynamoDb(), table, new TransactionFaker(seed, expectedItems), writes, threads);
  }

  public DynamoDbLocal dynamo() {
    return dynamo;
  }

  /** A workload writing to the table from {@code threads} threads, logging into this pipeline. */
  public SourceWorkload workload(SourceTable table, long seed, int expectedItems, int threads) {
    return new SourceWorkload(
        dynamo.dynamoDb(), table, new TransactionFaker(seed, expectedItems), writes, threads);
  }

  public WriteLog writes() {
    return writes;
  }

  public RunStats stats() {
    return stats;
  }

  /**
   * Waits until every stream record the workload caused is committed or reported. Returns false
   * when nothing moved for {@code idleLimit} (a stuck pipeline is reported, not waited on forever).
   */
  public boolean awaitSettled(Duration idleLimit) throws InterruptedException {
    long lastSettled = -1;
    long lastMove = System.nanoTime();
    while (true) {
      RuntimeException failure = pollerFailure.get();
      if (failure != null) {
        throw new IllegalStateException(
            "the stream poller stopped: " + failure.getClass().getSimpleName(), failure);
      }
      long settled = stats.recordsSettled();
      if (settled >= writes.writes()) {
        return true;
      }
      if (settled != lastSettled) {
        lastSettled = settled;
        lastMove = System.nanoTime();
      } else if (System.nanoTime() - lastMove > idleLimit.toNanos()) {
        return false;
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() {
    stopping = true;
    List<Thread> all;
    synchronized (pollers) {
      all = List.copyOf(pollers);
    }
    for (Thread thread : all) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
