package dev.ddbwarehouse.config;

import dev.ddbwarehouse.core.InvalidConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Local runs: secrets and the mapping document are files. */
final class FileConfigSource implements ConfigSource {

  private final String key;

  /** {@code key} is the environment key that named the file, for error messages. */
  FileConfigSource(String key) {
    this.key = key;
  }

  @Override
  public String secret(String path) {
    return read(path);
  }

  @Override
  public String parameter(String path) {
    return read(path);
  }

  private String read(String path) {
    try {
      String text = Files.readString(Path.of(path), StandardCharsets.UTF_8);
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (IOException e) {
      throw new InvalidConfigurationException(
          key + ": cannot read file " + path + " (" + e.getClass().getSimpleName() + ")");
    }
  }
}
