package dev.ddbwarehouse.config;

import dev.ddbwarehouse.core.InvalidConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The Amazon RDS certificate authorities, for {@code verify-ca} / {@code verify-full}: RDS server
 * certificates are not signed by a CA in the JVM's trust store, so pgjdbc needs the bundle as a
 * file. It travels in the jar as {@value #RESOURCE} (scripts/package.sh puts it there) and is
 * copied to /tmp, the one writable place in Lambda, on first use.
 */
final class RdsCaBundle {

  static final String RESOURCE = "rds-ca/global-bundle.pem";

  private RdsCaBundle() {}

  /** The bundle's path when the SSL mode verifies certificates, else null. */
  static String pathFor(String sslMode) {
    if (!sslMode.startsWith("verify-")) return null;
    try (InputStream in = RdsCaBundle.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new InvalidConfigurationException(
            EtlConfig.DB_SSL_MODE
                + "="
                + sslMode
                + " needs the RDS CA bundle in the jar ("
                + RESOURCE
                + "; scripts/package.sh adds it), or set "
                + EtlConfig.DB_SSL_MODE
                + "=require");
      }
      Path target = Path.of(System.getProperty("java.io.tmpdir"), "rds-ca-global-bundle.pem");
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      return target.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the RDS CA bundle to the temp directory", e);
    }
  }
}
