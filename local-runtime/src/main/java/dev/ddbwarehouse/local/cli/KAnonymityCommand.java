package dev.ddbwarehouse.local.cli;

import dev.ddbwarehouse.cli.CliFailure;
import dev.ddbwarehouse.cli.ExitCode;
import dev.ddbwarehouse.cli.ProjectVersion;
import dev.ddbwarehouse.cli.VerboseOption;
import dev.ddbwarehouse.core.table.Mapping;
import dev.ddbwarehouse.core.table.TableSpec;
import dev.ddbwarehouse.local.warehouse.EquivalenceClasses;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gdpr.sh k-anonymity}: per table that declares quasi-identifiers, how many live rows an
 * analyst could single out by them. Reads only, and prints counts only, never a class's values.
 */
@Command(
    name = "k-anonymity",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    description = {
      "Groups the live rows of every table that declares quasiIdentifiers in the mapping (the bi",
      "view of the same name if it has them all, else the warehouse table's rows with deleted_at",
      "IS NULL) by those columns, NULL counting as a value, and counts the classes and the rows",
      "in classes of fewer than k rows. Never prints a value. One line per table, by name:",
      "table=<t> quasi_identifiers=<c,..> classes=<n> rows=<n> rows_below_k=<n>",
      "smallest_class=<n> k=<k> relation=<what was read>, then",
      "SUMMARY tables=<n> k=<k> tables_below_k=<m>.",
      "A bi_reader login suffices for tables with a bi view.",
      "Exit codes: 0 no class below k, 1 some class below k, 2 bad arguments,",
      "3 cannot reach or read the warehouse."
    })
final class KAnonymityCommand implements Callable<Integer> {

  @Mixin DatabaseOptions database;

  @Option(
      names = "--k",
      paramLabel = "K",
      defaultValue = "5",
      description = "Smallest acceptable class, at least 2 (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(
      names = "--table",
      paramLabel = "T",
      description =
          "Only this table: its target (e.g. warehouse.user_profiles) or its mapping entry name.")
  String table;

  @Option(
      names = "--mapping",
      paramLabel = "F",
      description = "Mapping document (default: the built-in one).")
  Path mapping;

  @Mixin VerboseOption verbose;

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (k < 2) {
      throw CliFailure.usage("--k must be at least 2 (every class has a row, so 1 checks nothing)");
    }
    List<TableSpec> tables = tables(ConfigFiles.mapping(mapping));
    DatabaseLogin login = DatabaseLogin.of(database);
    PrintWriter out = spec.commandLine().getOut();
    int below = 0;
    try (Connection c = login.connect()) {
      c.setReadOnly(true);
      for (TableSpec t : tables) {
        EquivalenceClasses m = measure(c, t, login);
        if (m.belowK()) below++;
        out.println(
            "table="
                + t.target()
                + " quasi_identifiers="
                + String.join(",", t.quasiIdentifiers())
                + " classes="
                + m.classes()
                + " rows="
                + m.rows()
                + " rows_below_k="
                + m.rowsBelowK()
                + " smallest_class="
                + m.smallestClass()
                + " k="
                + k
                + " relation="
                + m.relation());
      }
    } catch (SQLException e) {
      throw CliFailure.unreachable(
          "the warehouse refused the read-only session (SQLSTATE " + e.getSQLState() + ")", e);
    }
    out.println("SUMMARY tables=" + tables.size() + " k=" + k + " tables_below_k=" + below);
    return below > 0 ? ExitCode.FOUND : ExitCode.OK;
  }

  /** The tables to measure, by target name: all that declare quasi-identifiers, or --table's. */
  private List<TableSpec> tables(Mapping m) {
    List<TableSpec> declared =
        m.tables().stream()
            .filter(t -> !t.quasiIdentifiers().isEmpty())
            .sorted(Comparator.comparing(t -> t.target().toString()))
            .toList();
    if (table == null) return declared;
    TableSpec named =
        m.tables().stream()
            .filter(t -> table.equals(t.target().toString()) || table.equals(t.name()))
            .findFirst()
            .orElseThrow(
                () ->
                    CliFailure.usage(
                        "--table "
                            + table
                            + " is not a table of the mapping (tables: "
                            + String.join(
                                ", ", m.tables().stream().map(t -> t.target().toString()).toList())
                            + ")"));
    if (named.quasiIdentifiers().isEmpty()) {
      throw CliFailure.usage(
          "--table "
              + table
              + ": its mapping entry tables."
              + named.name()
              + " declares no quasiIdentifiers");
    }
    return List.of(named);
  }

  private EquivalenceClasses measure(Connection c, TableSpec t, DatabaseLogin login) {
    try {
      return EquivalenceClasses.measure(c, t, k);
    } catch (SQLException e) {
      String state = e.getSQLState();
      String hint =
          "42501".equals(state)
              ? ": user \""
                  + login.user()
                  + "\" may not read it (a bi_reader member reads the bi views; a table without"
                  + " one needs a login that reads schema warehouse)"
              : "42P01".equals(state) || "42703".equals(state)
                  ? ": the warehouse lacks the table or one of its quasi-identifier columns (run"
                      + " the migrations, or check --mapping)"
                  : "";
      throw CliFailure.unreachable(
          "reading " + t.target() + " failed (SQLSTATE " + state + ")" + hint, e);
    }
  }
}
