package dev.ddbwarehouse.backfill.cli;

import dev.ddbwarehouse.backfill.BackfillException.Refused;
import dev.ddbwarehouse.backfill.verify.StoredKeys;
import dev.ddbwarehouse.core.policy.MappingDocument;
import dev.ddbwarehouse.core.policy.Treatment;
import dev.ddbwarehouse.core.pseudonym.KeyRing;
import dev.ddbwarehouse.core.pseudonym.Pseudonymiser;
import dev.ddbwarehouse.core.table.Mapping;
import dev.ddbwarehouse.core.table.TableSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * Which mapping document entry a command works on, and what it needs to compute that entry's keys
 * as the warehouse stores them: the same document and HMAC key ring the function uses.
 */
public final class MappingOptions {

  @Option(
      names = "--mapping",
      paramLabel = "FILE",
      description = {
        "Mapping document the function runs with (default: the built-in one): its entry for the",
        "table gives the key, the version and the warehouse table."
      })
  Path mappingFile;

  @Option(
      names = "--hmac-secret-file",
      paramLabel = "FILE",
      description = {
        "HMAC key ring JSON (as the function's HMAC_SECRET_FILE); needed only when the",
        "entry's key is pseudonymised."
      })
  Path hmacSecretFile;

  Mapping mapping() {
    if (mappingFile == null) {
      return MappingDocument.defaults();
    }
    return MappingDocument.parse(read(mappingFile, "--mapping"), mappingFile.toString());
  }

  /** The entry whose {@code source} or {@code shadow} is {@code table}. */
  TableSpec forSource(String table) {
    return select(table, "source", t -> Stream.of(t.source(), t.shadow()));
  }

  /** The entry whose {@code shadow} is {@code table}. */
  TableSpec forShadow(String table) {
    return select(table, "shadow", t -> Stream.of(t.shadow()));
  }

  private TableSpec select(String table, String field, Function<TableSpec, Stream<String>> names) {
    Mapping mapping = mapping();
    if (mapping.routesEveryTable()) {
      return mapping.tables().get(0); // a version 1 document: its one entry takes every table
    }
    return mapping.tables().stream()
        .filter(t -> names.apply(t).anyMatch(table::equals))
        .findFirst()
        .orElseThrow(
            () ->
                new Refused(
                    "no entry of the mapping document ("
                        + (mappingFile == null ? "built-in" : mappingFile)
                        + ") has "
                        + field
                        + " "
                        + table
                        + "; its entries: "
                        + mapping.tables().stream()
                            .map(
                                t ->
                                    t.name()
                                        + " ("
                                        + field
                                        + " "
                                        + names.apply(t).findFirst().orElseThrow()
                                        + ")")
                            .collect(Collectors.joining(", "))
                        + "; pass the function's document with --mapping"));
  }

  /** The source tables whose quarantined records belong to {@code entry}; empty: any. */
  List<String> quarantineTables(TableSpec entry, String scanned) {
    if (mapping().routesEveryTable()) {
      return List.of();
    }
    return Stream.of(entry.source(), entry.shadow(), scanned).distinct().toList();
  }

  StoredKeys keys(TableSpec entry) {
    return new StoredKeys(entry, pseudonymiser(entry));
  }

  private Pseudonymiser pseudonymiser(TableSpec entry) {
    List<String> pseudonymised =
        entry.keyRules().stream()
            .filter(r -> r.treatment() == Treatment.PSEUDONYMISE)
            .map(r -> r.attribute())
            .toList();
    if (hmacSecretFile != null) {
      return new Pseudonymiser(
          KeyRing.parse(read(hmacSecretFile, "--hmac-secret-file"), hmacSecretFile.toString()));
    }
    if (!pseudonymised.isEmpty()) {
      throw new Refused(
          "the key of mapping entry "
              + entry.name()
              + " is pseudonymised ("
              + String.join(", ", pseudonymised)
              + "): pass --hmac-secret-file FILE, the key ring the function uses (HMAC_SECRET_FILE)");
    }
    // The key is kept as is, so the mapper never calls the pseudonymiser; it still needs one.
    byte[] unused = new byte[KeyRing.MIN_KEY_BYTES];
    new SecureRandom().nextBytes(unused);
    return new Pseudonymiser(
        KeyRing.parse(
            "{\"active\":\"unused\",\"keys\":{\"unused\":\""
                + Base64.getEncoder().encodeToString(unused)
                + "\"}}",
            "unused"));
  }

  private static String read(Path file, String option) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + option + " " + file, e);
    }
  }
}
