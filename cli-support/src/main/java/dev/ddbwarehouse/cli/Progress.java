package dev.ddbwarehouse.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The one progress bar of every tool (me.tongfei:progressbar): on stderr, ASCII, with items/s and
 * ETA. Its total is what is known to come, never "done so far", so it only moves forward.
 */
public final class Progress {

  private Progress() {}

  public static ProgressBar bar(String task, long total, String unit, PrintStream err) {
    return new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII)
        .setUnit(" " + unit, 1)
        .showSpeed()
        .setUpdateIntervalMillis(500)
        .setConsumer(new ConsoleProgressBarConsumer(err))
        .build();
  }
}
