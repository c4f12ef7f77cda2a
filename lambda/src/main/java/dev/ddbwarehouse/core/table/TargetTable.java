package dev.ddbwarehouse.core.table;

import dev.ddbwarehouse.core.InvalidConfigurationException;
import java.util.regex.Pattern;

/** A warehouse table, {@code schema.name}, as the mapping document names it. */
public record TargetTable(String schema, String name) {

  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  public TargetTable {
    if (!IDENTIFIER.matcher(schema).matches() || !IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException("not a lower-case schema.table name");
    }
  }

  /** Parses {@code schema.table}; {@code where} names the document field in the error. */
  public static TargetTable parse(String text, String where) {
    int dot = text == null ? -1 : text.indexOf('.');
    if (dot > 0) {
      String schema = text.substring(0, dot);
      String name = text.substring(dot + 1);
      if (IDENTIFIER.matcher(schema).matches() && IDENTIFIER.matcher(name).matches()) {
        return new TargetTable(schema, name);
      }
    }
    throw new InvalidConfigurationException(
        where + ": \"target\" must be schema.table in lower case, e.g. warehouse.user_profiles");
  }

  @Override
  public String toString() {
    return schema + "." + name;
  }
}
