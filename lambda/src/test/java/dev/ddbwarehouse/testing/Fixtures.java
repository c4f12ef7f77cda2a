package dev.ddbwarehouse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The verbatim AWS sample events in ../shared/fixtures/aws-stream-events (never edited). */
public final class Fixtures {

  private Fixtures() {}

  public static Path directory() {
    String configured = System.getProperty("fixtures.dir");
    Path dir =
        configured != null
            ? Path.of(configured)
            : Path.of("../../shared/fixtures/aws-stream-events");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(
          "fixture directory not found: " + dir.toAbsolutePath().normalize());
    }
    return dir;
  }

  public static List<Path> streamEvents() {
    try (Stream<Path> files = Files.list(directory())) {
      List<Path> events = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
      if (events.isEmpty()) throw new IllegalStateException("no fixture events in " + directory());
      return events;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
