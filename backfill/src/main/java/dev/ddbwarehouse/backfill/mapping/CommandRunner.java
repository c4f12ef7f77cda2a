package dev.ddbwarehouse.backfill.mapping;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs an external command (the AWS CLI) without a shell; tests substitute their own. */
@FunctionalInterface
public interface CommandRunner {

  /** What a command printed on stdout, and its exit code. */
  record Result(int exitCode, String stdout) {}

  Result run(List<String> command);

  /** Runs the real process; its stderr goes to ours so AWS CLI errors reach the operator. */
  CommandRunner PROCESS =
      command -> {
        try {
          Process process =
              new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
          String out;
          try (InputStream in = process.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          }
          return new Result(process.waitFor(), out);
        } catch (IOException e) {
          throw new UncheckedIOException(
              "could not run " + command.get(0) + " (is the AWS CLI installed?)", e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
      };
}
