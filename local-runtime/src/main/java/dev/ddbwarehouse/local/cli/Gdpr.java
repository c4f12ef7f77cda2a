package dev.ddbwarehouse.local.cli;

import dev.ddbwarehouse.cli.Cli;
import dev.ddbwarehouse.cli.CliFailure;
import dev.ddbwarehouse.cli.ExitCode;
import dev.ddbwarehouse.cli.ProjectVersion;
import dev.ddbwarehouse.cli.VerboseOption;
import dev.ddbwarehouse.core.InvalidConfigurationException;
import dev.ddbwarehouse.core.InvalidRequestException;
import dev.ddbwarehouse.core.erasure.SubjectRequest;
import dev.ddbwarehouse.core.pseudonym.KeyRing;
import dev.ddbwarehouse.local.pipeline.HmacSecretFile;
import dev.ddbwarehouse.sink.jooq.SubjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code scripts/gdpr.sh} against a warehouse the operator reaches (locally, or through a tunnel):
 * data-subject erasure and export with the key ring in a file. In AWS, {@code --stage} invokes the
 * erasure function instead, so the key never leaves AWS (the script handles that).
 */
@Command(
    name = "gdpr.sh",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    description = "Data-subject requests: erase (GDPR Art. 17) or export (Art. 15) a subject.",
    subcommands = {
      Gdpr.Forget.class,
      Gdpr.Export.class,
      KeyCommands.RotateKey.class,
      KeyCommands.RetireKey.class,
      KeyCommands.KeyStatus.class,
      KAnonymityCommand.class
    })
public final class Gdpr implements Callable<Integer> {

  /** The request id and namespace patterns of scripts/gdpr.sh: the same mistakes, the same exit. */
  static final Pattern NAMESPACE = Pattern.compile("[a-z0-9_.-]{1,32}");

  static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  @Spec CommandLine.Model.CommandSpec spec;

  /** What {@code --value-file -} reads: System.in, or a test's input. Never closed here. */
  private final InputStream stdin;

  Gdpr(InputStream stdin) {
    this.stdin = stdin;
  }

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "missing command: forget, export, rotate-key, retire-key, key-status or k-anonymity");
  }

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  static int run(PrintWriter out, PrintWriter err, String... args) {
    return run(System.in, out, err, args);
  }

  static int run(InputStream stdin, PrintWriter out, PrintWriter err, String... args) {
    return Cli.execute(Cli.commandLine(new Gdpr(stdin), out, err), args);
  }

  /** Where the raw identifier comes from: a file or stdin keeps it out of argv and history. */
  static final class ValueSource {
    @Option(
        names = "--value",
        paramLabel = "V",
        description =
            "The identifier on the command line: visible in the process list and shell history;"
                + " prefer --value-file.")
    String value;

    @Option(
        names = "--value-file",
        paramLabel = "F",
        description =
            "File holding the identifier, or - for standard input; trailing line ends are"
                + " removed (recommended: the value stays out of process lists and shell history).")
    String file;

    /** The value as gdpr.sh --stage reads it: the whole file, without trailing line ends. */
    String read(InputStream stdin) {
      if (value != null) return value;
      byte[] bytes;
      try {
        if ("-".equals(file)) {
          bytes = stdin.readAllBytes(); // not closed: stdin is the process's, not ours
        } else {
          try (InputStream in = Files.newInputStream(Path.of(file))) {
            bytes = in.readAllBytes();
          }
        }
      } catch (IOException | java.nio.file.InvalidPathException e) {
        throw CliFailure.usage(
            "--value-file "
                + file
                + " not found or not readable ("
                + e.getClass().getSimpleName()
                + ")");
      }
      String text = new String(bytes, StandardCharsets.UTF_8);
      int end = text.length();
      // A \r too: a file saved on Windows must not yield another pseudonym, erasing nothing.
      while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) end--;
      return text.substring(0, end);
    }
  }

  /** What every command needs: the subject, the warehouse, the key ring and the mapping. */
  abstract static class Request {
    @Option(
        names = "--namespace",
        required = true,
        paramLabel = "NS",
        description = "The pseudonym namespace of the identifier, e.g. user, email, phone.")
    String namespace;

    @ArgGroup(multiplicity = "1")
    ValueSource value;

    @Mixin DatabaseOptions database;

    @Option(
        names = "--hmac-secret-file",
        paramLabel = "F",
        description = "Key ring file (default: .local/hmac-secret.json), the secret's JSON.")
    Path hmacSecretFile;

    @Option(
        names = "--mapping",
        paramLabel = "F",
        description = "Mapping document (default: the built-in one).")
    Path mapping;

    @Mixin VerboseOption verbose;

    @Spec CommandLine.Model.CommandSpec spec;

    @ParentCommand Gdpr parent;

    SubjectStore store() {
      Path keyFile =
          hmacSecretFile != null
              ? hmacSecretFile
              : HmacSecretFile.stateDir().resolve(HmacSecretFile.DEFAULT_NAME);
      if (!Files.isReadable(keyFile)) {
        throw CliFailure.usage(
            "--hmac-secret-file: "
                + keyFile
                + " is not a readable file (the key ring the warehouse's pseudonyms were made with)");
      }
      try {
        KeyRing keys =
            KeyRing.parse(read(keyFile, "--hmac-secret-file"), "--hmac-secret-file " + keyFile);
        return new SubjectStore(ConfigFiles.mapping(mapping), keys);
      } catch (InvalidConfigurationException e) {
        throw CliFailure.usage(e.getMessage());
      }
    }

    /**
     * The request, checked before any connection as gdpr.sh checks it (exit 2): patterns, the
     * value, the key ring and mapping, and a namespace that some table of the mapping uses.
     */
    SubjectRequest request(
        SubjectStore store, String requestId, SubjectRequest.Action action, boolean dryRun) {
      if (!NAMESPACE.matcher(namespace).matches()) {
        throw CliFailure.usage("--namespace must match " + NAMESPACE.pattern());
      }
      if (!REQUEST_ID.matcher(requestId).matches()) {
        throw CliFailure.usage("--request-id must match " + REQUEST_ID.pattern());
      }
      String raw = value.read(parent.stdin);
      if (raw.isEmpty()) throw CliFailure.usage("the value is empty");
      try {
        SubjectRequest request = new SubjectRequest(requestId, namespace, raw, action, dryRun);
        store.subject(request);
        return request;
      } catch (InvalidRequestException e) {
        throw CliFailure.usage(e.getMessage());
      }
    }

    static CliFailure refused(SQLException e, DatabaseLogin login) {
      String hint =
          "42501".equals(e.getSQLState())
              ? ": user \"" + login.user() + "\" needs the etl_eraser role"
              : "42P01".equals(e.getSQLState())
                  ? ": the warehouse lacks the erasure tables (run the migrations)"
                  : "";
      return CliFailure.unreachable(
          "the warehouse refused the request (SQLSTATE " + e.getSQLState() + ")" + hint, e);
    }

    static String read(Path file, String option) {
      try {
        return Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw CliFailure.usage(
            option + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
      }
    }

    SubjectStore checkedStore() {
      try {
        return store();
      } catch (InvalidRequestException e) {
        throw CliFailure.usage(e.getMessage());
      }
    }
  }

  @Command(
      name = "forget",
      mixinStandardHelpOptions = true,
      versionProvider = ProjectVersion.class,
      description = {
        "Erases a data subject from every table that holds its namespace, in one transaction:",
        "rows deleted or anonymised as each table's mapping entry declares, the subject put on",
        "the suppression list (replays and late records stay erased), the request logged in",
        "etl.erasure_log. Prints the rows affected per table.",
        "Pass the identifier with --value-file (a file, or - for stdin), not --value: it then",
        "stays out of the process list and shell history.",
        "Prints table=<name> rows=<n> per table (sorted by name), then",
        "SUMMARY request=<id> namespace=<ns> tables=<k> rows=<total> dry_run=<true|false>.",
        "Exit codes: 0 done, 2 bad arguments, 3 cannot reach or write the warehouse."
      })
  static final class Forget extends Request implements Callable<Integer> {

    @Option(
        names = "--request-id",
        required = true,
        paramLabel = "ID",
        description = "Your id for the request (e.g. the ticket), kept in etl.erasure_log.")
    String requestId;

    @Option(names = "--dry-run", description = "Count what would be affected; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      DatabaseLogin login = DatabaseLogin.of(database);
      SubjectStore store = checkedStore();
      SubjectRequest request = request(store, requestId, SubjectRequest.Action.FORGET, dryRun);
      SubjectStore.ErasureReport report;
      try (Connection c = login.connect()) {
        report = store.forget(c, request, Instant.now());
      } catch (InvalidRequestException e) {
        throw CliFailure.usage(e.getMessage());
      } catch (SQLException e) {
        throw refused(e, login);
      }
      // Sorted by table name, as gdpr.sh --stage prints the function's counts.
      for (Map.Entry<String, Long> e : new TreeMap<>(report.rowsAffected()).entrySet()) {
        out.println("table=" + e.getKey() + " rows=" + e.getValue());
      }
      if (report.alreadyLogged()) {
        // stderr: stdout is the counts and the SUMMARY line only, for scripts reading them.
        spec.commandLine()
            .getErr()
            .println(
                "note: request " + requestId + " was logged before; its first run's counts stand");
      }
      out.println(
          "SUMMARY request="
              + report.requestId()
              + " namespace="
              + report.namespace()
              + " tables="
              + report.rowsAffected().size()
              + " rows="
              + report.total()
              + " dry_run="
              + report.dryRun());
      return ExitCode.OK;
    }
  }

  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      versionProvider = ProjectVersion.class,
      description = {
        "Writes every warehouse row linked to a data subject, from every table, as JSON lines",
        "({\"table\":..,\"row\":{..}}): what the warehouse holds, pseudonymised as analysts see it.",
        "Pass the identifier with --value-file (a file, or - for stdin), not --value.",
        "Exit codes: 0 done, 2 bad arguments, 3 cannot reach the warehouse."
      })
  static final class Export extends Request implements Callable<Integer> {

    @Option(
        names = "--request-id",
        paramLabel = "ID",
        defaultValue = "export",
        description = "Your id for the request (default: ${DEFAULT-VALUE}).")
    String requestId;

    @Option(
        names = "--output",
        paramLabel = "F",
        description = "Write the JSON lines to F (default: standard output).")
    Path output;

    @Override
    public Integer call() throws IOException {
      DatabaseLogin login = DatabaseLogin.of(database);
      SubjectStore store = checkedStore();
      SubjectRequest request = request(store, requestId, SubjectRequest.Action.EXPORT, false);
      long rows;
      try (Connection c = login.connect()) {
        // Opened once the warehouse answered: an unreachable one leaves no empty file behind.
        Writer writer = output == null ? spec.commandLine().getOut() : ownerOnly(output);
        try {
          rows =
              store.export(
                  c,
                  request,
                  line -> {
                    try {
                      writer.write(line);
                      writer.write('\n');
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  });
        } finally {
          if (output != null) writer.close();
          else writer.flush();
        }
      } catch (InvalidRequestException e) {
        throw CliFailure.usage(e.getMessage());
      } catch (SQLException e) {
        throw refused(e, login);
      } catch (IOException | java.io.UncheckedIOException e) {
        throw new CliFailure(
            ExitCode.FOUND,
            "--output: writing " + output + " failed (" + e.getClass().getSimpleName() + ")",
            e);
      }
      spec.commandLine()
          .getErr()
          .println(
              output == null
                  ? "exported " + rows + " rows (request " + requestId + ")"
                  : "wrote " + rows + " rows to " + output + " (request " + requestId + ")");
      return ExitCode.OK;
    }

    /** The subject's rows are personal data: the file is readable by its owner only (mode 600). */
    private static Writer ownerOnly(Path file) {
      try {
        Files.deleteIfExists(file);
        try {
          Files.createFile(
              file,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
          Files.createFile(file); // not a POSIX file system: its folder's rights are all there is
        }
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw CliFailure.usage(
            "--output: cannot write " + file + " (" + e.getClass().getSimpleName() + ")");
      }
    }
  }
}
