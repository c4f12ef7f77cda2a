package dev.ddbwarehouse.deployment;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository checkout the tests inspect, whatever directory Maven runs them from. */
final class Repository {

  private Repository() {}

  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.exists(dir.resolve("sam-template.yaml")) && Files.exists(dir.resolve("mvnw"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "no repository root (with sam-template.yaml and mvnw) above "
            + Path.of("").toAbsolutePath());
  }

  static Path file(String relative) {
    return root().resolve(relative);
  }
}
