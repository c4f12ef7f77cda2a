package dev.ddbwarehouse.backfill.copy;

import dev.ddbwarehouse.backfill.plan.BackfillPlan;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The copy's progress line on stderr: bar, items/s over the last seconds, ETA against DynamoDB's
 * item-count estimate. Redrawn in place on a terminal, printed every few seconds otherwise (CI
 * logs); scripts/backfill.sh says which with {@code -Dbackfill.progress=tty}.
 */
public final class CopyProgress implements AutoCloseable {

  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final LongSupplier done;
  private final long total;
  private final boolean tty;
  private final Thread thread;
  private final long started = System.nanoTime();
  private long lastDone;
  private long lastAt = started;
  private double rate;
  private volatile boolean running = true;

  /**
   * @param done items copied so far, earlier runs included
   * @param total DynamoDB's estimate of the source's item count (0 when unknown)
   */
  public CopyProgress(PrintWriter err, LongSupplier done, long total) {
    this.err = err;
    this.done = done;
    this.total = total;
    this.tty = "tty".equals(System.getProperty("backfill.progress"));
    this.lastDone = done.getAsLong();
    this.thread = Thread.ofPlatform().daemon().name("copy-progress").unstarted(this::loop);
  }

  public CopyProgress start() {
    thread.start();
    return this;
  }

  private void loop() {
    long every = tty ? 250 : 3000;
    while (running) {
      try {
        Thread.sleep(every);
      } catch (InterruptedException e) {
        return;
      }
      draw(false);
    }
  }

  private synchronized void draw(boolean last) {
    long now = System.nanoTime();
    long d = done.getAsLong();
    double seconds = (now - lastAt) / 1e9;
    if (seconds > 0) {
      double recent = (d - lastDone) / seconds;
      rate = rate == 0 ? recent : 0.7 * rate + 0.3 * recent; // smooth, as pages land in bursts
    }
    lastDone = d;
    lastAt = now;
    err.print((tty ? "\r" : "") + line(d, total, rate) + (tty && !last ? "" : "\n"));
    err.flush();
  }

  static String line(long done, long total, double rate) {
    String eta =
        total > done && rate > 0
            ? BackfillPlan.human(Duration.ofSeconds((long) Math.ceil((total - done) / rate)))
            : "-";
    if (total <= 0) {
      return String.format(Locale.ROOT, "%,d items copied · %,.0f items/s", done, rate);
    }
    int filled = (int) Math.min(WIDTH, done * WIDTH / total);
    return String.format(
        Locale.ROOT,
        "[%s%s] %3d%% %,d/~%,d items · %,.0f items/s · ETA %s",
        "#".repeat(filled),
        ".".repeat(WIDTH - filled),
        Math.min(100, done * 100 / total),
        done,
        total,
        rate,
        eta);
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    draw(true);
  }
}
