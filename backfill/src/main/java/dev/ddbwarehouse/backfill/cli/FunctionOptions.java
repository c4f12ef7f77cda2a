package dev.ddbwarehouse.backfill.cli;

import dev.ddbwarehouse.backfill.mapping.LiveMappingSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which function the shadow stream is attached to, and the live mapping settings it copies. */
public final class FunctionOptions {

  @Option(
      names = "--stage",
      paramLabel = "STAGE",
      description =
          "Deployed stage: function ddb-warehouse-STAGE:live, settings from deploy/STAGE.env.")
  String stage;

  @Option(
      names = "--function",
      paramLabel = "NAME",
      description = {
        "Function name or ARN with alias (default: ddb-warehouse-STAGE:live).",
        "The default is the alias the live mapping invokes."
      })
  String function;

  @Option(
      names = "--stage-file",
      paramLabel = "FILE",
      description = "Stage parameter file (default: deploy/STAGE.env).")
  Path stageFile;

  String function() {
    if (function != null) {
      return function;
    }
    if (stage == null) {
      throw new IllegalArgumentException("name the function: --stage STAGE or --function NAME");
    }
    return "ddb-warehouse-" + stage + ":live";
  }

  LiveMappingSettings settings() {
    Path file = settingsFile();
    return file == null ? LiveMappingSettings.defaults() : LiveMappingSettings.fromStageFile(file);
  }

  /** Where the settings come from, for the operator to check. */
  String settingsOrigin() {
    Path file = settingsFile();
    return file == null ? "sam-template.yaml defaults (no stage file found)" : file.toString();
  }

  private Path settingsFile() {
    if (stageFile != null) {
      if (!Files.isRegularFile(stageFile)) {
        throw new IllegalArgumentException("--stage-file " + stageFile + " does not exist");
      }
      return stageFile;
    }
    Path file = stage == null ? null : Path.of("deploy", stage + ".env");
    return file != null && Files.isRegularFile(file) ? file : null;
  }
}
