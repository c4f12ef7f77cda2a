package dev.ddbwarehouse.cli;

import java.io.Console;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The one progress bar of every tool (me.tongfei:progressbar): on stderr, ASCII, with items/s and
 * ETA. Its total is what is known to come, never "done so far", so it only moves forward. On a
 * terminal it redraws in place twice a second; into a file or a CI log it writes a plain line every
 * few seconds instead of one endless line of carriage returns.
 */
public final class Progress {

  private Progress() {}

  public static ProgressBar bar(String task, long total, String unit, PrintStream err) {
    boolean terminal = isTerminal();
    return bar(task, total, unit, err, terminal);
  }

  static ProgressBar bar(String task, long total, String unit, PrintStream err, boolean terminal) {
    ProgressBarConsumer consumer =
        terminal
            ? new ConsoleProgressBarConsumer(err)
            : new DelegatingProgressBarConsumer(err::println);
    return new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII)
        .setUnit(" " + unit, 1)
        .showSpeed()
        .setUpdateIntervalMillis(terminal ? 500 : 5_000)
        .setConsumer(consumer)
        .build();
  }

  /**
   * Whether stderr's process has a terminal. Since JDK 22 {@code System.console()} exists even when
   * the streams are redirected, and only {@code Console.isTerminal()} (absent from the Java 21 API
   * this code compiles against) tells; on 21 a console is returned only for a terminal.
   */
  static boolean isTerminal() {
    Console console = System.console();
    if (console == null) return false;
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
