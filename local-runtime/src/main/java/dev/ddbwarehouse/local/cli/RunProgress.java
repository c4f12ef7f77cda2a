package dev.ddbwarehouse.local.cli;

import dev.ddbwarehouse.cli.Progress;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ProgressBar;

/**
 * The progress line of a local run, fed from the pipeline's counters by a sampler thread. With a
 * total (the load: known before the first write) the bar only moves forward and stops at it;
 * without one ({@code --serve}) it is a live count of committed records and source writes.
 */
final class RunProgress implements AutoCloseable {

  private static final long SAMPLE_MILLIS = 200;

  private final ProgressBar bar;
  private final long total;
  private final LongSupplier done;
  private final LongSupplier written;
  private final Thread sampler;
  private long shown;

  private RunProgress(ProgressBar bar, long total, LongSupplier done, LongSupplier written) {
    this.bar = bar;
    this.total = total;
    this.done = done;
    this.written = written;
    this.sampler = Thread.ofPlatform().name("progress").daemon().unstarted(this::loop);
  }

  /** {@code done} counts from 0 up to {@code total}, which is fixed before the work starts. */
  static RunProgress toTotal(long total, LongSupplier done, PrintStream err) {
    RunProgress progress =
        new RunProgress(Progress.bar("stream records", total, "records", err), total, done, null);
    progress.sampler.start();
    return progress;
  }

  /** No end: committed records so far, and the source writes they come from. */
  static RunProgress live(LongSupplier done, LongSupplier written, PrintStream err) {
    RunProgress progress =
        new RunProgress(Progress.bar("serving", -1, "records committed", err), -1, done, written);
    progress.sampler.start();
    return progress;
  }

  private void loop() {
    while (!Thread.currentThread().isInterrupted()) {
      sample();
      try {
        Thread.sleep(SAMPLE_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Never backwards, never past the total. */
  synchronized void sample() {
    long now = Math.max(shown, done.getAsLong());
    shown = total < 0 ? now : Math.min(total, now);
    bar.stepTo(shown);
    if (written != null) {
      bar.setExtraMessage(String.format(Locale.ROOT, " · %,d source writes", written.getAsLong()));
    }
  }

  /** What the line shows now. */
  synchronized long shown() {
    return shown;
  }

  @Override
  public void close() throws InterruptedException {
    sampler.interrupt();
    sampler.join();
    sample();
    bar.close();
  }
}
