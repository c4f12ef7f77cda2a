package dev.ddbwarehouse.local.cli;

import dev.ddbwarehouse.cli.CliFailure;
import java.nio.file.Files;
import java.nio.file.Path;

/** A file named by a flag, checked before any work so that a typo costs one line, not a run. */
final class InputFile {

  private InputFile() {}

  /** Nothing to check when the flag was not given ({@code file} null). */
  static void require(Path file, String flag, String expected) {
    if (file == null) return;
    if (Files.isDirectory(file)) {
      throw CliFailure.usage(flag + " " + file + " is a directory, not " + expected);
    }
    if (!Files.exists(file)) {
      throw CliFailure.usage(flag + " " + file + ": no such file (expected " + expected + ")");
    }
    if (!Files.isReadable(file)) {
      throw CliFailure.usage(flag + " " + file + ": not readable (check its permissions)");
    }
  }
}
