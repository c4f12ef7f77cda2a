package dev.ddbwarehouse.local.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cold start as Lambda's init plus first invoke: a fresh JVM from process start until its first
 * 1-record batch is committed. The JVM runs with the flags the java21 runtime uses by default
 * (tiered compilation stopping at C1), without SnapStart.
 */
final class ColdStart {

  private ColdStart() {}

  /** Milliseconds of each run; each run inserts its own fresh transaction. */
  static List<Long> measure(int runs, Map<String, String> handlerEnv, Path workDir) throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<Long> millis = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      Path event = Files.write(workDir.resolve("cold-start-" + run + ".json"),
          SyntheticEvents.events(9_000 + run, 1, 1, 900_000_000L + run).get(0));
      ProcessBuilder builder = new ProcessBuilder(java, "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
          "-cp", System.getProperty("java.class.path"), ColdStartProbe.class.getName(), event.toString());
      builder.environment().putAll(handlerEnv);
      builder.redirectError(ProcessBuilder.Redirect.DISCARD);
      long start = System.nanoTime();
      Process process = builder.start();
      String line;
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        line = out.readLine();
      }
      long elapsed = (System.nanoTime() - start) / 1_000_000;
      process.waitFor();
      if (!"COMMITTED".equals(line)) {
        throw new IllegalStateException("cold start probe did not commit (it printed " + line + ")");
      }
      millis.add(elapsed);
    }
    return millis;
  }
}
