package dev.ddbwarehouse.observability;

import dev.ddbwarehouse.core.json.JsonText;
import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON object per line on stdout, which Lambda ships to CloudWatch Logs. Callers pass
 * identifiers and counts only (event ids, sequence numbers, codes); no item value is ever logged.
 */
public final class JsonLog {

  private final PrintStream out;
  private final Clock clock;

  public JsonLog(PrintStream out, Clock clock) {
    this.out = out;
    this.clock = clock;
  }

  public void info(String message, Map<String, ?> fields) {
    write("INFO", message, fields);
  }

  public void warn(String message, Map<String, ?> fields) {
    write("WARN", message, fields);
  }

  public void error(String message, Map<String, ?> fields) {
    write("ERROR", message, fields);
  }

  /** A raw JSON document on its own line (CloudWatch Embedded Metric Format). */
  public void raw(Map<String, ?> document) {
    out.println(JsonText.write(document));
  }

  private void write(String level, String message, Map<String, ?> fields) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("timestamp", clock.instant().toString());
    line.put("level", level);
    line.put("message", message);
    line.putAll(fields);
    raw(line);
  }
}
