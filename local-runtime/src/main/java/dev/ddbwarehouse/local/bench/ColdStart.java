package dev.ddbwarehouse.local.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cold start as Lambda's init plus first invoke: a fresh JVM from process start until its first
 * 1-record batch is committed, without SnapStart. Several JVM set-ups are measured round-robin, so
 * a burst of load from elsewhere on the machine hits them alike.
 */
final class ColdStart {

  /**
   * The flags the java21 runtime starts the JVM with by default: tiered compilation stops at C1,
   * the serial collector.
   */
  static final List<String> LAMBDA_JVM =
      List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  /** The same with full tiered compilation, as the template's JavaToolOptions set it. */
  static final List<String> TIERED_JVM = List.of("-XX:+TieredCompilation", "-XX:+UseSerialGC");

  /**
   * One way to start the fresh JVM: its flags, classpath and main class (which prints COMMITTED).
   */
  record Setup(String name, List<String> jvmArgs) {}

  private ColdStart() {}

  /** This JVM's own classpath (the local runtime's), with {@link ColdStartProbe}. */
  static Setup localRuntime() {
    List<String> args = new ArrayList<>(LAMBDA_JVM);
    args.addAll(
        List.of("-cp", System.getProperty("java.class.path"), ColdStartProbe.class.getName()));
    return new Setup("local-runtime classpath", args);
  }

  /**
   * The deployment artifact as Lambda's runtime loads it: only the shaded jar and the one-class
   * {@link LambdaJarProbe}, copied into {@code workDir} (a stream handler needs no serialiser).
   */
  static Setup lambdaJar(Path jar, boolean c1Only, Path workDir) throws IOException {
    Path probeDir = workDir.resolve("probe");
    Path classFile = probeDir.resolve(LambdaJarProbe.class.getName().replace('.', '/') + ".class");
    Files.createDirectories(classFile.getParent());
    try (InputStream in =
        LambdaJarProbe.class.getResourceAsStream(LambdaJarProbe.class.getSimpleName() + ".class")) {
      Files.write(classFile, in.readAllBytes());
    }
    List<String> args = new ArrayList<>(c1Only ? LAMBDA_JVM : TIERED_JVM);
    String classpath =
        String.join(
            java.io.File.pathSeparator, jar.toAbsolutePath().toString(), probeDir.toString());
    args.addAll(List.of("-cp", classpath, LambdaJarProbe.class.getName()));
    return new Setup(c1Only ? "lambda jar, C1 only" : "lambda jar, full tiered", args);
  }

  /**
   * Milliseconds of each run per set-up, in the given order; each run inserts its own fresh
   * transaction.
   */
  static Map<Setup, List<Long>> measure(
      List<Setup> setups, int runs, Map<String, String> handlerEnv, Path workDir)
      throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Map<Setup, List<Long>> millis = new LinkedHashMap<>();
    setups.forEach(s -> millis.put(s, new ArrayList<>()));
    int event = 0;
    for (int run = 0; run < runs; run++) {
      for (Setup setup : setups) {
        millis.get(setup).add(once(java, setup, handlerEnv, workDir, event++));
      }
    }
    return millis;
  }

  private static long once(
      String java, Setup setup, Map<String, String> handlerEnv, Path workDir, int n)
      throws IOException, InterruptedException {
    Path event =
        Files.write(
            workDir.resolve("cold-start-" + n + ".json"),
            SyntheticEvents.events(9_000 + n, 1, 1, 900_000_000L + n).get(0));
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(setup.jvmArgs());
    command.add(event.toString());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(handlerEnv);
    Path log = workDir.resolve("cold-start-" + n + ".log"); // the handler's logs, for a failed run
    builder.redirectError(log.toFile());
    long start = System.nanoTime();
    Process process = builder.start();
    String line;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      line = out.readLine();
    }
    long elapsed = (System.nanoTime() - start) / 1_000_000;
    process.waitFor();
    if (!"COMMITTED".equals(line)) {
      throw new IllegalStateException(
          setup.name()
              + ": cold start probe did not commit (it printed "
              + line
              + "; see "
              + log
              + ")");
    }
    return elapsed;
  }
}
