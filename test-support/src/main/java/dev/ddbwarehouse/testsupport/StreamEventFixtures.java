package dev.ddbwarehouse.testsupport;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Named;

/**
 * The stream-event fixtures, grouped by source and found from any module's working directory:
 *
 * <ul>
 *   <li>{@link #project()}: {@code fixtures/stream-events/} in this repository, written for this
 *       project; always there, so a clone alone passes its tests.
 *   <li>{@link #awsSamples()}: the AWS-published samples in {@code ../shared/fixtures/
 *       aws-stream-events/} beside the checkout, an extra conformance check that runs only where
 *       that folder exists and says so when it is skipped.
 * </ul>
 */
public final class StreamEventFixtures {

  /** Overrides where the AWS samples are looked for (e.g. the Docker suite's mount). */
  public static final String AWS_SAMPLES_PROPERTY = "aws.samples.dir";

  private static volatile boolean skipAnnounced;

  private StreamEventFixtures() {}

  public static Path projectDirectory() {
    return repositoryRoot().resolve("fixtures/stream-events");
  }

  /** Every project fixture event file, sorted by name. */
  public static List<Path> project() {
    List<Path> events = jsonFiles(projectDirectory());
    if (events.isEmpty()) {
      throw new IllegalStateException("no fixture events in " + projectDirectory());
    }
    return events;
  }

  public static Path project(String fileName) {
    Path file = projectDirectory().resolve(fileName);
    if (!Files.isRegularFile(file)) throw new IllegalStateException("no fixture " + file);
    return file;
  }

  /** Where the AWS samples would be; they may be absent. */
  public static Path awsSamplesDirectory() {
    String configured = System.getProperty(AWS_SAMPLES_PROPERTY);
    return configured != null
        ? Path.of(configured)
        : repositoryRoot().resolve("../shared/fixtures/aws-stream-events").normalize();
  }

  /**
   * Skips the calling test (or class, from {@code @BeforeAll}) when the AWS samples are not beside
   * this checkout, and says so on the test output.
   */
  public static void assumeAwsSamplesPresent() {
    Assumptions.assumeTrue(
        awsSamplesPresent(), "AWS sample events not found at " + awsSamplesDirectory());
  }

  /**
   * The project's fixtures followed by the AWS samples where present (saying so where absent), for
   * tests that replay every event there is.
   */
  public static List<Path> projectAndAwsSamples() {
    List<Path> events = new ArrayList<>(project());
    if (awsSamplesPresent()) events.addAll(jsonFiles(awsSamplesDirectory()));
    return events;
  }

  private static boolean awsSamplesPresent() {
    Path dir = awsSamplesDirectory();
    boolean present = Files.isDirectory(dir) && !jsonFiles(dir).isEmpty();
    if (!present && !skipAnnounced) {
      skipAnnounced = true;
      // Straight to the process's stderr: the build redirects System.out/err of tests into report
      // files, and this line is meant for whoever reads the build output.
      new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8)
          .println(
              "[conformance] AWS sample events skipped: "
                  + dir
                  + " does not exist (a clone alone runs the project's own fixtures only)");
    }
    return present;
  }

  /**
   * The AWS samples as test arguments; where they are absent, one placeholder argument whose test
   * is then skipped by {@link #assumeAwsSamplesPresent()}, so the build output counts a skip.
   */
  public static List<Named<Path>> awsSamples() {
    if (!awsSamplesPresent()) {
      return List.of(Named.of("AWS sample events absent: skipped", awsSamplesDirectory()));
    }
    return jsonFiles(awsSamplesDirectory()).stream()
        .map(p -> Named.of(p.getFileName().toString(), p))
        .toList();
  }

  public static Path awsSample(String fileName) {
    assumeAwsSamplesPresent();
    return awsSamplesDirectory().resolve(fileName);
  }

  private static List<Path> jsonFiles(Path dir) {
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The directory holding {@code mvnw}, walking up from the working directory. */
  static Path repositoryRoot() {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("fixtures"))) {
        return dir;
      }
    }
    throw new IllegalStateException("not inside the repository (no mvnw above " + start + ")");
  }
}
