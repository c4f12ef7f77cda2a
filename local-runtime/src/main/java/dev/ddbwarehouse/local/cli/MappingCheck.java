package dev.ddbwarehouse.local.cli;

import dev.ddbwarehouse.cli.Cli;
import dev.ddbwarehouse.cli.CliFailure;
import dev.ddbwarehouse.cli.ExitCode;
import dev.ddbwarehouse.cli.ProjectVersion;
import dev.ddbwarehouse.cli.VerboseOption;
import dev.ddbwarehouse.core.InvalidConfigurationException;
import dev.ddbwarehouse.core.policy.MappingDocument;
import dev.ddbwarehouse.core.table.Mapping;
import dev.ddbwarehouse.core.table.TableSpec;
import dev.ddbwarehouse.local.mapping.ExportedItems;
import dev.ddbwarehouse.local.mapping.MappingSummary;
import dev.ddbwarehouse.schema.jooq.DefaultCatalog;
import dev.ddbwarehouse.sink.jooq.JooqWarehouseSink;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code scripts/mapping.sh}: checks a mapping document with the function's own parser ({@link
 * MappingDocument}, what the Lambda runs at init), so a document that would fail every cold start
 * never reaches SSM.
 */
@Command(
    name = "mapping.sh",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    description = "Checks mapping documents (the SSM parameter CONFIG_PARAMETER, MAPPING_FILE).",
    subcommands = MappingCheck.Validate.class)
public final class MappingCheck implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: validate");
  }

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  static int run(PrintWriter out, PrintWriter err, String... args) {
    return Cli.execute(Cli.commandLine(new MappingCheck(), out, err), args);
  }

  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      versionProvider = ProjectVersion.class,
      description = {
        "Parses FILE exactly as the function does at start-up and prints what it maps.",
        "With --sample, also warns about each mapped attribute that no sample item carries",
        "(a misspelt attribute leaves its column NULL without any error).",
        "Exit codes: 0 valid (warnings included), 1 warnings under --strict,",
        "2 invalid document, unreadable file or bad flag."
      })
  static final class Validate implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "The mapping document (JSON).")
    Path file;

    @Option(
        names = "--sample",
        paramLabel = "ITEMS",
        description =
            "Items of the source table as JSON lines of DynamoDB JSON, one item per line"
                + " (what run-local.sh --export-source writes).")
    Path sample;

    @Option(
        names = "--table",
        paramLabel = "NAME",
        description = "The entry --sample's items belong to (default: the first entry).")
    String table;

    @Option(names = "--strict", description = "Exit 1 when there is any warning.")
    boolean strict;

    @Mixin VerboseOption verbose;

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Mapping mapping;
      try {
        mapping = MappingDocument.parse(read(file), "file " + file);
        // The function's own start-up check: every entry against the warehouse's tables.
        JooqWarehouseSink.validate(mapping, DefaultCatalog.DEFAULT_CATALOG);
      } catch (InvalidConfigurationException e) {
        throw CliFailure.usage(e.getMessage());
      }
      out.println(file + ": valid");
      MappingSummary.lines(mapping).forEach(out::println);
      if (sample == null) return ExitCode.OK;
      TableSpec policy =
          table == null
              ? mapping.tables().get(0)
              : mapping
                  .table(table)
                  .orElseThrow(
                      () -> CliFailure.usage("--table " + table + ": no such entry in " + file));

      ExportedItems items = ExportedItems.read(sample);
      List<String> absent = items.absent(MappingSummary.mappedAttributes(policy));
      for (String attribute : absent) {
        err.println(
            "warning: attributes."
                + attribute
                + " is mapped but none of the "
                + items.count()
                + " items of "
                + sample
                + " has it");
      }
      List<String> unmapped = items.unmapped(policy.rules().keySet());
      if (!absent.isEmpty() && !unmapped.isEmpty()) {
        err.println(
            "note: the sample's unmapped attributes (dropped): " + String.join(", ", unmapped));
      }
      if (absent.isEmpty()) {
        out.println(sample + ": every mapped attribute appears in its " + items.count() + " items");
      }
      return strict && !absent.isEmpty() ? ExitCode.FOUND : ExitCode.OK;
    }

    private static String read(Path file) {
      try {
        return Files.readString(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw CliFailure.usage("mapping document " + file + " not found");
      } catch (IOException e) {
        throw CliFailure.usage("cannot read mapping document " + file + ": " + e.getMessage());
      }
    }
  }
}
