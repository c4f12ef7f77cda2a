package dev.ddbwarehouse.backfill.cli;

import dev.ddbwarehouse.cli.Progress;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ProgressBar;

/**
 * The copy's progress on the project's one bar ({@link Progress#bar}): items written by this run
 * against the items DynamoDB estimates are left. The estimate is refreshed only about every six
 * hours, so the copy can pass it: then the total grows to what is done, and the bar neither shows
 * more than 100 % nor moves back.
 */
final class CopyBar implements AutoCloseable {

  private static final long POLL_MILLIS = 250;

  private final ProgressBar bar;
  private final boolean totalKnown;
  private final LongSupplier written;
  private final Thread poller;

  /**
   * @param written items this run has written so far
   * @param expected items the run should write (estimate minus earlier runs); 0 or less when
   *     unknown, which shows a bar without a total
   */
  CopyBar(PrintWriter err, LongSupplier written, long expected) {
    this.totalKnown = expected > 0;
    this.bar = Progress.bar("copy", totalKnown ? expected : -1, "items", stream(err));
    this.written = written;
    this.poller = Thread.ofPlatform().daemon().name("copy-progress").unstarted(this::poll);
  }

  CopyBar start() {
    poller.start();
    return this;
  }

  /** Moves the bar to the counter; never back, never past its total. */
  synchronized void refresh() {
    long done = Math.max(written.getAsLong(), bar.getCurrent());
    if (totalKnown && done > bar.getMax()) {
      bar.maxHint(done);
    }
    bar.stepTo(done);
  }

  long current() {
    return bar.getCurrent();
  }

  long max() {
    return bar.getMax();
  }

  private void poll() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        refresh();
        Thread.sleep(POLL_MILLIS);
      }
    } catch (InterruptedException e) {
      // closed
    }
  }

  @Override
  public void close() {
    poller.interrupt();
    refresh();
    bar.close();
  }

  /** The bar writes to a PrintStream; the commands (and tests) hand out PrintWriters. */
  private static PrintStream stream(PrintWriter err) {
    OutputStream bytes =
        new OutputStream() {
          private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

          @Override
          public synchronized void write(int b) {
            pending.write(b);
          }

          @Override
          public synchronized void flush() {
            err.print(pending.toString(StandardCharsets.UTF_8));
            err.flush();
            pending.reset();
          }
        };
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }
}
