package dev.ddbwarehouse.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** One run of a CLI's {@code run(out, err, args)}: exit code and the lines it printed. */
record CliRun(int exitCode, List<String> stdout, List<String> stderr) {

  interface Command {
    int run(PrintStream out, PrintStream err, String... args);
  }

  static CliRun of(Command command, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        command.run(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            args);
    return new CliRun(
        code,
        out.toString(StandardCharsets.UTF_8).lines().toList(),
        err.toString(StandardCharsets.UTF_8).lines().toList());
  }

  String lastLine() {
    return stdout.isEmpty() ? "" : stdout.get(stdout.size() - 1);
  }

  /** The error is the only thing on stderr: one line, {@code tool: message}, no stack frame. */
  CliRun failsWithOneLine(int expectedCode, String tool, String expectedMessage) {
    assertThat(exitCode).as("exit code; stderr: %s", stderr).isEqualTo(expectedCode);
    assertThat(stderr).as("stderr").containsExactly(tool + ": " + expectedMessage);
    return this;
  }

  /** Ends with this error line; before it only the tool's own log lines, and no stack frame. */
  CliRun endsWithError(int expectedCode, String tool, String expectedMessage) {
    assertThat(exitCode).as("exit code; stderr: %s", stderr).isEqualTo(expectedCode);
    assertThat(stderr).as("stderr").isNotEmpty().noneMatch(line -> line.startsWith("\tat "));
    assertThat(stderr.get(stderr.size() - 1)).isEqualTo(tool + ": " + expectedMessage);
    assertThat(stderr).filteredOn(line -> line.startsWith(tool + ": ")).hasSize(1);
    return this;
  }

  /** {@code -V} printed {@code tool (ddb-warehouse VERSION)} and nothing else. */
  void printedTheVersionOf(String tool) {
    assertThat(exitCode).isZero();
    assertThat(stdout)
        .singleElement()
        .asString()
        .matches(java.util.regex.Pattern.quote(tool) + " \\(ddb-warehouse \\S+\\)");
  }

  /** {@code --help} fits 120 columns and names every one of {@code expected}. */
  void printedHelpWith(String... expected) {
    assertThat(exitCode).isZero();
    assertThat(stdout).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(120));
    assertThat(String.join("\n", stdout)).contains(expected);
  }

  /** A loopback port nothing listens on: a connection there is refused at once. */
  static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
