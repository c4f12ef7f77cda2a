package dev.ddbwarehouse.local.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** {@code gdpr.sh} without --stage, in this JVM, for tests outside this package. */
public final class GdprInProcess {

  /** Exit code and what the command printed. */
  public record Run(int exitCode, String out, String err) {}

  private GdprInProcess() {}

  public static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Gdpr.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }
}
