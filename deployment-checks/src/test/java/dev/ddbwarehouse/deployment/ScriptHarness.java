package dev.ddbwarehouse.deployment;

import com.fasterxml.jackson.core.JsonFactory;
import dev.ddbwarehouse.cli.Cli;
import dev.ddbwarehouse.core.policy.MappingDocument;
import dev.ddbwarehouse.local.cli.MappingCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * Runs a script of {@code scripts/} in a throw-away copy of the repository with stub {@code aws},
 * {@code sam}, {@code psql}, {@code openssl} and {@code mvnw} that record their arguments. PATH
 * holds only the stubs and the few system tools the scripts use, so no real AWS CLI, SAM CLI or
 * Maven can be reached, and a tool missing from PATH is really missing.
 *
 * <p>A stub answers from {@code responses/NAME_ARG1_ARG2.{out,err,rc}} (e.g. {@code
 * aws_secretsmanager_describe-secret.rc}); without such files it prints nothing and exits 0. With
 * {@code responses/NAME_ARG1_ARG2.outfile} it also copies that file to its last argument (the
 * output file of {@code aws lambda invoke}). Files passed as {@code file://PATH} or {@code
 * fileb://PATH} are copied, mode included, to {@code captured/NAME_ARG1_ARG2.txt} before the script
 * can delete them.
 *
 * <p>The Java tools are real: {@code scripts/mapping.sh} runs MappingCheck on this JVM's JDK with
 * the classes of this build ({@code DDBW_LOCAL_CLASSPATH}), so nothing is built inside a test.
 */
final class ScriptHarness {

  static final List<String> STUBBED_TOOLS = List.of("aws", "sam", "psql", "openssl");
  private static final List<String> SYSTEM_TOOLS =
      List.of(
          "bash", "dirname", "mktemp", "rm", "sed", "jq", "cat", "mkdir", "cp", "head", "base64",
          "tr");
  private static final char SEPARATOR = '\u001f';

  private static final String STUB =
      """
      #!%s
      name="${0##*/}"
      key="$name${1:+_$1}${2:+_$2}"
      {
        printf '%%s' "$name"
        for arg in "$@"; do printf '\\037%%s' "$arg"; done
        printf '\\n'
      } >>"$STUB_HOME/calls.log"
      for arg in "$@"; do
        case "$arg" in
          file://*) cp -p "${arg#file://}" "$STUB_HOME/captured/$key.txt" ;;
          fileb://*) cp -p "${arg#fileb://}" "$STUB_HOME/captured/$key.txt" ;;
        esac
      done
      if [[ -f "$STUB_HOME/responses/$key.outfile" ]]; then
        cp "$STUB_HOME/responses/$key.outfile" "${!#}"
      fi
      if [[ "$name" == mvnw ]]; then
        printf 'FLYWAY_USER=%%s\\nFLYWAY_PASSWORD=%%s\\n' "${FLYWAY_USER:-}" "${FLYWAY_PASSWORD:-}" \\
          >"$STUB_HOME/captured/mvnw.env"
      fi
      [[ -f "$STUB_HOME/responses/$key.out" ]] && cat "$STUB_HOME/responses/$key.out"
      [[ -f "$STUB_HOME/responses/$key.err" ]] && cat "$STUB_HOME/responses/$key.err" >&2
      rc=0
      [[ -f "$STUB_HOME/responses/$key.rc" ]] && rc="$(<"$STUB_HOME/responses/$key.rc")"
      exit "$rc"
      """;

  private static final String RECORDING_WRAPPER =
      """
      #!%s
      {
        printf '%%s' "${0##*/}"
        for arg in "$@"; do printf '\\037%%s' "$arg"; done
        printf '\\n'
      } >>"$STUB_HOME/calls.log"
      exec '%s' "$@"
      """;

  /** One recorded invocation of a stub: argv[0] is the tool name. */
  record Call(List<String> argv) {

    String tool() {
      return argv.get(0);
    }

    boolean is(String... prefix) {
      return argv.size() >= prefix.length && argv.subList(0, prefix.length).equals(List.of(prefix));
    }

    /** The value after {@code flag}, if the call has one. */
    Optional<String> option(String flag) {
      int i = argv.indexOf(flag);
      return i >= 0 && i + 1 < argv.size() ? Optional.of(argv.get(i + 1)) : Optional.empty();
    }

    /** Every argument after {@code flag} up to the next flag. */
    List<String> values(String flag) {
      int i = argv.indexOf(flag);
      List<String> values = new ArrayList<>();
      for (int j = i + 1; i >= 0 && j < argv.size() && !argv.get(j).startsWith("--"); j++) {
        values.add(argv.get(j));
      }
      return values;
    }
  }

  record Result(int exitCode, String stdout, String stderr, List<Call> calls) {

    List<Call> callsOf(String... prefix) {
      return calls.stream().filter(c -> c.is(prefix)).toList();
    }

    Call onlyCall(String... prefix) {
      List<Call> matching = callsOf(prefix);
      if (matching.size() != 1) {
        throw new AssertionError(
            "expected one call "
                + Arrays.toString(prefix)
                + " but got "
                + matching
                + "\nstderr:\n"
                + stderr);
      }
      return matching.get(0);
    }
  }

  private final Path repo;
  private final Path stubHome;
  private final Path bin;
  private final Map<String, String> environment = new HashMap<>();

  ScriptHarness(Path tempDir) {
    try {
      repo = tempDir.resolve("repo");
      stubHome = tempDir.resolve("stubs");
      bin = stubHome.resolve("bin");
      Files.createDirectories(stubHome.resolve("responses"));
      Files.createDirectories(stubHome.resolve("captured"));
      Files.createDirectories(bin);
      copyRepositoryFiles();
      String bash = systemTool("bash").orElseThrow(() -> new IllegalStateException("no bash"));
      for (String tool : STUBBED_TOOLS) {
        writeExecutable(bin.resolve(tool), STUB.formatted(bash));
      }
      writeExecutable(stubHome.resolve("mvnw"), STUB.formatted(bash));
      for (String tool : SYSTEM_TOOLS) {
        Optional<String> path = systemTool(tool);
        if (path.isPresent()) {
          Files.createSymbolicLink(bin.resolve(tool), Path.of(path.get()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    environment.put("PATH", bin.toString());
    environment.put("STUB_HOME", stubHome.toString());
    environment.put("MVNW", stubHome.resolve("mvnw").toString());
    environment.put("HOME", tempDir.toString());
    environment.put("JAVA_HOME", System.getProperty("java.home"));
    environment.put("DDBW_LOCAL_CLASSPATH", mappingCheckClasspath());
  }

  /**
   * Exactly what MappingCheck needs: the check, the function's parser and its start-up check
   * against the generated jOOQ tables (jOOQ, the generated schema, reactive-streams and r2dbc-spi,
   * which jOOQ's API names), picocli, jackson-core.
   */
  private static String mappingCheckClasspath() {
    return Stream.of(
            MappingCheck.class,
            MappingDocument.class,
            Cli.class,
            CommandLine.class,
            JsonFactory.class,
            org.jooq.Catalog.class,
            dev.ddbwarehouse.schema.jooq.DefaultCatalog.class,
            org.reactivestreams.Publisher.class,
            io.r2dbc.spi.ConnectionFactory.class)
        .map(c -> Path.of(toUri(c)).toString())
        .distinct()
        .collect(Collectors.joining(":"));
  }

  private static URI toUri(Class<?> c) {
    try {
      return c.getProtectionDomain().getCodeSource().getLocation().toURI();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static boolean hasSystemTool(String tool) {
    return systemTool(tool).isPresent();
  }

  Path repo() {
    return repo;
  }

  Path stubHome() {
    return stubHome;
  }

  /** Makes {@code tool} answer {@code NAME ARG1 ARG2 ...} with this output and exit code. */
  ScriptHarness respond(String key, String stdout, String stderr, int exitCode) {
    write(stubHome.resolve("responses/" + key + ".out"), stdout);
    write(stubHome.resolve("responses/" + key + ".err"), stderr);
    write(stubHome.resolve("responses/" + key + ".rc"), Integer.toString(exitCode));
    return this;
  }

  /**
   * Records the calls of the system tools too (all but bash), e.g. to show that a value reached
   * none of their command lines; they still run.
   */
  ScriptHarness recordSystemTools() {
    try {
      String bash = systemTool("bash").orElseThrow();
      for (String tool : SYSTEM_TOOLS) {
        Optional<String> path = systemTool(tool);
        if (tool.equals("bash") || path.isEmpty()) {
          continue;
        }
        Files.deleteIfExists(bin.resolve(tool));
        writeExecutable(
            bin.resolve(tool), RECORDING_WRAPPER.formatted(bash, path.get().replace("'", "'\\''")));
      }
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Makes {@code tool} also write this content to its last argument (its output file). */
  ScriptHarness respondWithOutputFile(String key, String content) {
    write(stubHome.resolve("responses/" + key + ".outfile"), content);
    return this;
  }

  /** The file:// or fileb:// file a call got, as it was when the stub ran. */
  Path capturedFile(String key) {
    Path file = stubHome.resolve("captured/" + key + ".txt");
    if (!Files.exists(file)) {
      throw new AssertionError("nothing was passed as file:// or fileb:// to " + key);
    }
    return file;
  }

  ScriptHarness remove(String tool) {
    try {
      Files.deleteIfExists(bin.resolve(tool));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ScriptHarness env(String name, String value) {
    environment.put(name, value);
    return this;
  }

  Path writeRepoFile(String relative, String content) {
    Path file = repo.resolve(relative);
    write(file, content);
    return file;
  }

  String captured(String key) {
    try {
      return Files.readString(stubHome.resolve("captured/" + key + ".txt"));
    } catch (IOException e) {
      throw new AssertionError("nothing was passed as file:// to " + key, e);
    }
  }

  String capturedMavenEnvironment() {
    try {
      return Files.readString(stubHome.resolve("captured/mvnw.env"));
    } catch (IOException e) {
      throw new AssertionError("the Maven wrapper was not run", e);
    }
  }

  Result run(String script, String... args) {
    List<String> command = new ArrayList<>();
    command.add(repo.resolve("scripts").resolve(script).toString());
    command.addAll(List.of(args));
    return start(command, script);
  }

  /** Runs shell text (e.g. a pasted dry-run plan) with the same stubs and environment. */
  Result runShell(String text) {
    return start(List.of(bin.resolve("bash").toString(), "-euo", "pipefail", "-c", text), "shell");
  }

  private Result start(List<String> command, String script) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(repo.toFile());
    builder.environment().clear();
    builder.environment().putAll(environment);
    try {
      Path out = Files.createTempFile(stubHome, "stdout", ".txt");
      Path err = Files.createTempFile(stubHome, "stderr", ".txt");
      Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(script + " did not finish within 60 s");
      }
      return new Result(process.exitValue(), Files.readString(out), Files.readString(err), calls());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private List<Call> calls() throws IOException {
    Path log = stubHome.resolve("calls.log");
    if (!Files.exists(log)) {
      return List.of();
    }
    return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
        .map(line -> new Call(List.of(line.split(String.valueOf(SEPARATOR), -1))))
        .toList();
  }

  private void copyRepositoryFiles() throws IOException {
    Path source = Repository.root();
    for (String relative : List.of("scripts", "deploy", "sam-template.yaml")) {
      Path from = source.resolve(relative);
      try (Stream<Path> files = Files.walk(from)) {
        for (Path file : files.toList()) {
          Path to = repo.resolve(source.relativize(file).toString());
          if (Files.isDirectory(file)) {
            Files.createDirectories(to);
          } else {
            Files.createDirectories(to.getParent());
            Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES);
          }
        }
      }
    }
  }

  private static Optional<String> systemTool(String tool) {
    return Stream.of("/usr/local/bin", "/usr/bin", "/bin")
        .map(dir -> Path.of(dir, tool))
        .filter(Files::isExecutable)
        .map(Path::toString)
        .findFirst();
  }

  private static void write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeExecutable(Path file, String content) throws IOException {
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
