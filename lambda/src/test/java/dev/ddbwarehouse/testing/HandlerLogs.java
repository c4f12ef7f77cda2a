package dev.ddbwarehouse.testing;

import dev.ddbwarehouse.core.json.JsonValue;
import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.lambda.StreamHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the real handler, built from an environment with a mapping file, over one event and returns
 * what it printed on stdout (its JSON log lines and EMF documents), from init to the response.
 */
public final class HandlerLogs {

  private HandlerLogs() {}

  /** Everything printed on stdout. */
  public static String text(
      Map<String, String> writerEnv, Path dir, String mapping, StreamEvents events) {
    Map<String, String> env = new HashMap<>(TestKeys.environment(writerEnv));
    try {
      env.put("MAPPING_FILE", Files.writeString(dir.resolve("mapping.json"), mapping).toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      Invocations.invoke(StreamHandler.fromEnvironment(env, BatchObserver.NONE), events, null);
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  /** The JSON lines printed on stdout, parsed. */
  public static List<JsonValue> lines(
      Map<String, String> writerEnv, Path dir, String mapping, StreamEvents events) {
    List<JsonValue> lines = new ArrayList<>();
    for (String line : text(writerEnv, dir, mapping, events).split("\n")) {
      if (line.startsWith("{")) {
        try {
          lines.add(JsonValue.parse(line));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return lines;
  }
}
