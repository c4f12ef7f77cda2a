package dev.ddbwarehouse.local.mapping;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.ddbwarehouse.cli.CliFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The attribute names of an item export: JSON lines of DynamoDB JSON items, as {@code run-local.sh
 * --export-source} writes them. Reads names only and skips every value, so nothing personal is held
 * or can end up in a message (a parse error names the line and column, never the text).
 */
public final class ExportedItems {

  private static final JsonFactory JSON = new JsonFactory();

  private final Set<String> names;
  private final long count;

  private ExportedItems(Set<String> names, long count) {
    this.names = names;
    this.count = count;
  }

  public static ExportedItems read(Path file) {
    Set<String> names = new TreeSet<>();
    long count = 0;
    long lineNumber = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNumber++;
        if (line.isBlank()) continue;
        readNames(line, names, file, lineNumber);
        count++;
      }
    } catch (NoSuchFileException e) {
      throw CliFailure.usage("--sample " + file + " not found");
    } catch (IOException e) {
      throw CliFailure.usage("cannot read --sample " + file + ": " + e.getClass().getSimpleName());
    }
    if (count == 0) throw CliFailure.usage("--sample " + file + " holds no items");
    return new ExportedItems(names, count);
  }

  private static void readNames(String line, Set<String> names, Path file, long lineNumber)
      throws IOException {
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw notAnItem(file, lineNumber, "is not a JSON object");
      }
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        names.add(p.currentName());
        if (p.nextToken() != JsonToken.START_OBJECT) {
          throw notAnItem(file, lineNumber, "has an attribute that is not DynamoDB JSON");
        }
        p.skipChildren();
      }
      if (p.nextToken() != null) throw notAnItem(file, lineNumber, "holds more than one item");
    } catch (JsonProcessingException e) {
      // Jackson's message may quote the offending text, a value: keep the position only.
      JsonLocation at = e.getLocation();
      String column = at == null ? "" : " at column " + at.getColumnNr();
      throw notAnItem(file, lineNumber, "is not valid JSON" + column);
    }
  }

  private static CliFailure notAnItem(Path file, long lineNumber, String problem) {
    return CliFailure.usage(
        "--sample "
            + file
            + " line "
            + lineNumber
            + " "
            + problem
            + " (expected one DynamoDB JSON item per line)");
  }

  public long count() {
    return count;
  }

  /** Of {@code attributes}, those no item has, sorted. */
  public List<String> absent(Collection<String> attributes) {
    return attributes.stream().filter(a -> !names.contains(a)).sorted().toList();
  }

  /** Attribute names the items have that are not in {@code known}, sorted. */
  public List<String> unmapped(Collection<String> known) {
    return names.stream().filter(n -> !known.contains(n)).toList();
  }
}
