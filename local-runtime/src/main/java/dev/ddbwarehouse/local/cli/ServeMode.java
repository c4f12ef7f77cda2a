package dev.ddbwarehouse.local.cli;

import dev.ddbwarehouse.local.pipeline.LocalPipeline;
import dev.ddbwarehouse.local.synth.SourceWorkload;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code --serve}: after the report, keep the pipeline running under a steady load until Ctrl-C,
 * then stop the writer, drain the stream, print the final SUMMARY line and let {@link LocalRun}
 * close everything in order. Ctrl-C starts the JVM's shutdown hooks while this thread still works:
 * ours only wakes this thread, then holds the JVM (at most 30 s) until the run is closed.
 */
final class ServeMode {

  private static final Duration DRAIN_IDLE_LIMIT = Duration.ofSeconds(5);

  private final PrintStream out;
  private final PrintStream err;
  private final Rate rate;
  private final CountDownLatch closed;

  ServeMode(PrintStream out, PrintStream err, Rate rate, CountDownLatch closed) {
    this.out = out;
    this.err = err;
    this.rate = rate;
    this.closed = closed;
  }

  void serve(ServeLogins logins, LocalPipeline pipeline, SourceWorkload workload, RunReport report)
      throws Exception {
    out.println();
    logins.print(out);
    out.println(
        "  writing " + rate.describe() + " to DynamoDB Local; Ctrl-C stops everything cleanly.");
    out.flush();
    CountDownLatch stopRequested = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> holdJvm(stopRequested), "serve-stop"));
    long settledBefore = pipeline.stats().recordsSettled();
    long writtenBefore = pipeline.writes().writes();
    RuntimeException writerFailure;
    try (RunProgress progress =
        RunProgress.live(
            () -> pipeline.stats().recordsSettled() - settledBefore,
            () -> pipeline.writes().writes() - writtenBefore,
            err)) {
      SteadyWriter writer = new SteadyWriter(workload, rate);
      try {
        stopRequested.await();
      } finally {
        writer.close();
      }
      writerFailure = writer.failure();
      pipeline.awaitSettled(DRAIN_IDLE_LIMIT);
    }
    if (writerFailure != null) {
      err.println(
          "WARNING: the serve writer stopped early: " + writerFailure.getClass().getSimpleName());
    }
    err.println("stopping: stream drained; closing DynamoDB Local and PostgreSQL");
    out.println(report.summary(LocalRun.elapsedMillis()));
    out.flush();
  }

  private void holdJvm(CountDownLatch stopRequested) {
    stopRequested.countDown();
    try {
      closed.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
