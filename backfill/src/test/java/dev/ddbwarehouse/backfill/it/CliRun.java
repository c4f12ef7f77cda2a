package dev.ddbwarehouse.backfill.it;

import dev.ddbwarehouse.backfill.BackfillCli;
import java.io.PrintWriter;
import java.io.StringWriter;

/** One CLI invocation in this JVM, with what it printed. */
record CliRun(int exitCode, String out, String err) {

  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = BackfillCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** The last line of stdout, where every command puts its machine-readable summary. */
  String lastLine() {
    String[] lines = out.strip().split("\n");
    return lines[lines.length - 1];
  }
}
