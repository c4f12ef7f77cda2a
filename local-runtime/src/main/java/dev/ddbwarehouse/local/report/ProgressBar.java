package dev.ddbwarehouse.local.report;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress line on stderr, redrawn in place on a terminal and printed every few seconds otherwise
 * (CI logs). The scripts say which by setting {@code -Dlocal.progress=tty}.
 */
public final class ProgressBar implements AutoCloseable {

  private static final int WIDTH = 30;

  private final PrintStream err;
  private final boolean tty;
  private final LongSupplier done;
  private final LongSupplier total;
  private final LongSupplier written;
  private final Thread thread;
  private final long started = System.nanoTime();
  private volatile boolean running = true;

  public ProgressBar(PrintStream err, LongSupplier done, LongSupplier total, LongSupplier written) {
    this.err = err;
    this.tty = "tty".equals(System.getProperty("local.progress"));
    this.done = done;
    this.total = total;
    this.written = written;
    this.thread = Thread.ofPlatform().daemon().name("progress").unstarted(this::loop);
  }

  public ProgressBar start() {
    thread.start();
    return this;
  }

  private void loop() {
    long every = tty ? 200 : 3000;
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
    long d = done.getAsLong();
    long t = Math.max(1, total.getAsLong());
    int filled = (int) Math.min(WIDTH, d * WIDTH / t);
    double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
    String line =
        String.format(
            Locale.ROOT,
            "[%s%s] %3d%% %,d/%,d stream records committed · %,.0f rec/s · %,d source writes",
            "#".repeat(filled),
            ".".repeat(WIDTH - filled),
            Math.min(100, d * 100 / t),
            d,
            t,
            d / seconds,
            written.getAsLong());
    if (tty) {
      err.print("\r" + line + "\u001b[K" + (last ? "\n" : "")); // clear what a longer line left
    } else {
      err.println(line);
    }
    err.flush();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    draw(true);
  }
}
