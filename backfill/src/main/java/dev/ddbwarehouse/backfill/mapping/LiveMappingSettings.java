package dev.ddbwarehouse.backfill.mapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The settings of the live event source mapping that the backfill mapping copies, as
 * sam-template.yaml sets them from the stage file (deploy/STAGE.env). A backfill mapping always
 * starts at TRIM_HORIZON: it must read the shadow stream from its first record.
 */
public record LiveMappingSettings(
    int batchSize,
    int maximumBatchingWindowInSeconds,
    int maximumRetryAttempts,
    int maximumRecordAgeInSeconds) {

  public LiveMappingSettings {
    if (batchSize < 1 || batchSize > 10_000) {
      throw new IllegalArgumentException("BatchSize must be 1..10000, was " + batchSize);
    }
    if (maximumBatchingWindowInSeconds < 0 || maximumBatchingWindowInSeconds > 300) {
      throw new IllegalArgumentException(
          "MaximumBatchingWindowInSeconds must be 0..300, was " + maximumBatchingWindowInSeconds);
    }
    if (maximumRetryAttempts < -1 || maximumRetryAttempts > 10_000) {
      throw new IllegalArgumentException(
          "MaximumRetryAttempts must be -1..10000, was " + maximumRetryAttempts);
    }
    if (maximumRecordAgeInSeconds != -1
        && (maximumRecordAgeInSeconds < 60 || maximumRecordAgeInSeconds > 604_800)) {
      throw new IllegalArgumentException(
          "MaximumRecordAgeInSeconds must be -1 or 60..604800, was " + maximumRecordAgeInSeconds);
    }
  }

  /** The template's defaults. */
  public static LiveMappingSettings defaults() {
    return new LiveMappingSettings(1000, 5, 10, 86_400);
  }

  /** The stage file's values where it has them, the template's defaults elsewhere. */
  public static LiveMappingSettings fromStageFile(Path file) {
    Map<String, String> values = readStageFile(file);
    LiveMappingSettings d = defaults();
    return new LiveMappingSettings(
        intValue(values, "BatchSize", d.batchSize(), file),
        intValue(
            values, "MaximumBatchingWindowInSeconds", d.maximumBatchingWindowInSeconds(), file),
        intValue(values, "MaximumRetryAttempts", d.maximumRetryAttempts(), file),
        intValue(values, "MaximumRecordAgeInSeconds", d.maximumRecordAgeInSeconds(), file));
  }

  /** KEY=VALUE lines, taken literally, # comments: the format scripts/deploy.sh reads. */
  static Map<String, String> readStageFile(Path file) {
    try {
      Map<String, String> values = new HashMap<>();
      for (String line : Files.readAllLines(file)) {
        String trimmed = line.strip();
        int eq = trimmed.indexOf('=');
        if (trimmed.isEmpty() || trimmed.startsWith("#") || eq < 1) {
          continue;
        }
        values.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
      }
      return values;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read stage file " + file, e);
    }
  }

  private static int intValue(Map<String, String> values, String key, int fallback, Path file) {
    String value = values.get(key);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          key + " in " + file + " must be an integer, was '" + value + "'");
    }
  }
}
