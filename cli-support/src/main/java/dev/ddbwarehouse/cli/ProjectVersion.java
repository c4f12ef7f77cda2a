package dev.ddbwarehouse.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code -V/--version}: the project version the build wrote into {@code version.properties}. */
public final class ProjectVersion implements IVersionProvider {

  public static String version() {
    Properties properties = new Properties();
    try (InputStream in = ProjectVersion.class.getResourceAsStream("version.properties")) {
      if (in != null) properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version", "unknown");
  }

  @Override
  public String[] getVersion() {
    return new String[] {"${COMMAND-FULL-NAME} (ddb-warehouse " + version() + ")"};
  }
}
