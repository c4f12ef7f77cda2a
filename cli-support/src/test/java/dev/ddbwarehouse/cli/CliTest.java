package dev.ddbwarehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

class CliTest {

  @Command(name = "tool", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class)
  static final class Tool implements Callable<Integer> {
    @Mixin VerboseOption verbose;

    @Option(names = "--fail")
    String fail;

    @Override
    public Integer call() throws Exception {
      if (fail == null) return ExitCode.OK;
      switch (fail) {
        case "usage" -> throw CliFailure.usage("--event: file events.json not found");
        case "sql" -> throw new SQLException("Key (email)=(alice@example.com) exists", "23505");
        case "interrupt" -> throw new InterruptedException();
        default -> throw new IllegalStateException("boom");
      }
    }
  }

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Cli.run(new Tool(), new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void aKnownFailureIsOneLineWithItsExitCode() {
    Run run = run("--fail", "usage");
    assertThat(run.code()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err()).isEqualTo("tool: --event: file events.json not found\n");
  }

  @Test
  void anUnknownOptionIsOneLineAndExitTwo() {
    Run run = run("--evnt", "x");
    assertThat(run.code()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err().lines()).hasSize(1).first().asString().contains("--evnt", "see --help");
  }

  @Test
  void anUnexpectedErrorHintsAtVerboseAndPrintsNoStackTrace() {
    Run run = run("--fail", "bug");
    assertThat(run.code()).isEqualTo(ExitCode.INTERNAL);
    assertThat(run.err().lines())
        .containsExactly(
            "tool: unexpected error: IllegalStateException: boom (run with --verbose for the stack"
                + " trace)");
  }

  @Test
  void verbosePrintsTheStackTrace() {
    Run run = run("--fail", "bug", "--verbose");
    assertThat(run.code()).isEqualTo(ExitCode.INTERNAL);
    assertThat(run.err()).contains("at dev.ddbwarehouse.cli.CliTest$Tool.call");
  }

  @Test
  void sqlErrorsShowOnlyTheirSqlState() {
    Run run = run("--fail", "sql");
    assertThat(run.err()).contains("SQLSTATE 23505").doesNotContain("alice");
  }

  @Test
  void interruptedIsExit130() {
    assertThat(run("--fail", "interrupt").code()).isEqualTo(ExitCode.INTERRUPTED);
  }

  @Test
  void versionPrintsTheProjectVersion() {
    Run run = run("--version");
    assertThat(run.code()).isZero();
    assertThat(run.out()).startsWith("tool (ddb-warehouse ").doesNotContain("unknown");
  }
}
