package dev.ddbwarehouse.local.cli;

import dev.ddbwarehouse.cli.CliFailure;
import dev.ddbwarehouse.cli.ExitCode;
import dev.ddbwarehouse.cli.ProjectVersion;
import dev.ddbwarehouse.cli.VerboseOption;
import dev.ddbwarehouse.core.InvalidConfigurationException;
import dev.ddbwarehouse.core.InvalidRequestException;
import dev.ddbwarehouse.core.pseudonym.KeyRing;
import dev.ddbwarehouse.core.pseudonym.KeyRingChange;
import dev.ddbwarehouse.core.table.Mapping;
import dev.ddbwarehouse.local.pipeline.HmacSecretFile;
import dev.ddbwarehouse.sink.jooq.KeyUsage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gdpr.sh rotate-key | retire-key | key-status} against a key file and a warehouse the
 * operator reaches; with {@code --stage} the script does the same through the stack's secret and
 * erasure function. Key bytes are never printed.
 */
final class KeyCommands {

  private KeyCommands() {}

  /** The key ring file and what every key command may read. */
  abstract static class KeyFile {
    @Option(
        names = "--hmac-secret-file",
        paramLabel = "F",
        description = "Key ring file (default: .local/hmac-secret.json), the secret's JSON.")
    Path hmacSecretFile;

    @Mixin VerboseOption verbose;

    @Spec CommandLine.Model.CommandSpec spec;

    Path keyFile() {
      Path f =
          hmacSecretFile != null
              ? hmacSecretFile
              : HmacSecretFile.stateDir().resolve(HmacSecretFile.DEFAULT_NAME);
      if (!Files.isReadable(f)) {
        throw CliFailure.usage("--hmac-secret-file: " + f + " is not a readable file");
      }
      return f;
    }

    String secret(Path file) {
      String json = Gdpr.Request.read(file, "--hmac-secret-file");
      try {
        KeyRing.parse(json, "--hmac-secret-file " + file);
      } catch (InvalidConfigurationException e) {
        throw CliFailure.usage(e.getMessage());
      }
      return json;
    }

    /** Replaces the file atomically, owner-only: a crash leaves the old ring or the new, whole. */
    static void write(Path file, String json) {
      try {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".hmac-secret", ".tmp");
        try {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
          // Not a POSIX file system: the directory's own rights apply.
        }
        Files.writeString(tmp, json, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new CliFailure(
            ExitCode.USAGE,
            "--hmac-secret-file: cannot write " + file + " (" + e.getClass().getSimpleName() + ")",
            e);
      }
    }
  }

  /** What the warehouse-reading commands add: the database and the mapping. */
  abstract static class WarehouseKeys extends KeyFile {
    @Mixin DatabaseOptions database;

    @Option(
        names = "--mapping",
        paramLabel = "F",
        description = "Mapping document (default: the built-in one).")
    Path mapping;

    Mapping mapping() {
      return ConfigFiles.mapping(mapping);
    }
  }

  @Command(
      name = "rotate-key",
      mixinStandardHelpOptions = true,
      versionProvider = ProjectVersion.class,
      description = {
        "Adds a new random 32-byte key version to the ring and makes it active; never removes one.",
        "The first version stays first (and is pinned as suppressionVersion): erasures hold.",
        "New execution environments, and running ones at their next refresh, use the new key;",
        "re-key history with a backfill copy (see README, Keys and rotation).",
        "Exit codes: 0 done, 2 bad arguments or unreadable/unwritable key file."
      })
  static final class RotateKey extends KeyFile implements Callable<Integer> {

    @Option(names = "--dry-run", description = "Say which version would be added; write nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Path file = keyFile();
      KeyRingChange.Result r =
          KeyRingChange.rotate(secret(file), file.toString(), new SecureRandom());
      KeyRing ring = KeyRing.parse(r.secretJson(), file.toString());
      if (!dryRun) write(file, r.secretJson());
      out.println(
          (dryRun ? "would rotate" : "rotated")
              + ": active="
              + r.version()
              + " versions="
              + String.join(",", ring.versions().stream().sorted().toList())
              + " suppression="
              + r.suppressionVersion());
      return ExitCode.OK;
    }
  }

  @Command(
      name = "key-status",
      mixinStandardHelpOptions = true,
      versionProvider = ProjectVersion.class,
      description = {
        "Rows per key version per table (live and deleted), and how many live rows a re-key has",
        "left to move to the active version. Counts only.",
        "Exit codes: 0 done, 2 bad arguments, 3 cannot reach the warehouse."
      })
  static final class KeyStatus extends WarehouseKeys implements Callable<Integer> {

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      KeyRing ring = KeyRing.parse(secret(keyFile()), "--hmac-secret-file");
      Mapping m = mapping();
      DatabaseLogin login = DatabaseLogin.of(database);
      List<KeyUsage.Count> counts;
      try (Connection c = login.connect()) {
        counts = KeyUsage.count(c, m);
      } catch (SQLException e) {
        throw Gdpr.Request.refused(e, login);
      }
      long behind = 0;
      for (KeyUsage.Count count : counts) {
        out.println(
            "table="
                + count.table()
                + " key_version="
                + (count.keyVersion() == null ? "none" : count.keyVersion())
                + " live="
                + count.live()
                + " deleted="
                + count.deleted());
        if (count.keyVersion() != null && !count.keyVersion().equals(ring.activeVersion())) {
          behind += count.live();
        }
      }
      out.println(
          "SUMMARY active="
              + ring.activeVersion()
              + " suppression="
              + ring.suppressionVersion()
              + " live_rows_not_on_active="
              + behind);
      return ExitCode.OK;
    }
  }

  @Command(
      name = "retire-key",
      mixinStandardHelpOptions = true,
      versionProvider = ProjectVersion.class,
      description = {
        "Removes a key version from the ring, only when no live row uses it. Deleted rows under it",
        "are released first (removed where the key is a pseudonym, unlinked elsewhere), so no row",
        "keeps a pseudonym nobody can compute. The suppression version can go only when every",
        "erasure covered its successor, the active version. Needs the etl_eraser role.",
        "Exit codes: 0 retired, 1 refused (rows or erasures still need the version),",
        "2 bad arguments, 3 cannot reach the warehouse."
      })
  static final class RetireKey extends WarehouseKeys implements Callable<Integer> {

    @Option(
        names = "--version",
        required = true,
        paramLabel = "V",
        description = "The key version to retire.")
    String version;

    @Option(names = "--dry-run", description = "Check and count; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Path file = keyFile();
      String json = secret(file);
      KeyRing ring = KeyRing.parse(json, file.toString());
      boolean suppression = version.equals(ring.suppressionVersion());
      String successor = suppression ? ring.activeVersion() : null;
      KeyRingChange.Result change;
      try {
        change = KeyRingChange.retire(json, file.toString(), version, successor);
      } catch (InvalidRequestException e) {
        throw CliFailure.usage(e.getMessage());
      }
      Mapping m = mapping();
      DatabaseLogin login = DatabaseLogin.of(database);
      Map<String, Long> released;
      try (Connection c = login.connect()) {
        c.setAutoCommit(false);
        // Checked up front: the writer may update the rows a release touches, so without this a
        // mapping without pseudonym-keyed tables would let it retire a version.
        if (!eraser(c)) {
          throw new SQLException("not a member of etl_eraser", "42501");
        }
        List<KeyUsage.Count> counts = KeyUsage.count(c, m);
        long live = 0;
        StringBuilder where = new StringBuilder();
        for (KeyUsage.Count count : counts) {
          if (version.equals(count.keyVersion()) && count.live() > 0) {
            live += count.live();
            where
                .append(where.isEmpty() ? "" : ", ")
                .append(count.table())
                .append('=')
                .append(count.live());
          }
        }
        if (live > 0) {
          throw new CliFailure(
              ExitCode.FOUND,
              live
                  + " live rows still carry key version "
                  + version
                  + " ("
                  + where
                  + "): re-key them first (a backfill copy through the shadow tables)");
        }
        if (suppression) {
          long uncovered = KeyUsage.erasuresNotCovering(c, successor);
          if (uncovered > 0) {
            throw new CliFailure(
                ExitCode.FOUND,
                uncovered
                    + " erasures were carried out before key version "
                    + successor
                    + " existed: their subjects are suppressed under "
                    + version
                    + " only, so it must stay (repeat those requests, same request ids, to cover "
                    + successor
                    + ")");
          }
        }
        released = KeyUsage.releaseDeleted(c, m, version);
        if (dryRun) c.rollback();
        else c.commit();
      } catch (SQLException e) {
        throw Gdpr.Request.refused(e, login);
      }
      if (!dryRun) KeyFile.write(file, change.secretJson());
      long n = released.values().stream().mapToLong(Long::longValue).sum();
      out.println(
          (dryRun ? "would retire" : "retired")
              + ": version="
              + version
              + " released_deleted_rows="
              + n
              + " suppression="
              + change.suppressionVersion());
      return ExitCode.OK;
    }

    private static boolean eraser(Connection c) throws SQLException {
      try (java.sql.PreparedStatement s =
              c.prepareStatement("SELECT pg_has_role(current_user, 'etl_eraser', 'USAGE')");
          java.sql.ResultSet r = s.executeQuery()) {
        return r.next() && r.getBoolean(1);
      }
    }
  }
}
