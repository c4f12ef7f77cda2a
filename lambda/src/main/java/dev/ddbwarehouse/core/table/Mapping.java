package dev.ddbwarehouse.core.table;

import dev.ddbwarehouse.core.policy.TtlDeletes;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The active table entries of a mapping document, and which one a stream record belongs to.
 *
 * @param routesEveryTable a version 1 document: its one entry takes the records of every source
 *     table, as before tables could be named
 */
public record Mapping(List<TableSpec> tables, boolean routesEveryTable) {

  /** {@code arn:<partition>:dynamodb:<region>:<account>:table/<name>/stream/<label>}. */
  private static final Pattern STREAM_ARN =
      Pattern.compile(
          "arn:[a-z0-9-]+:dynamodb:[^:]*:[^:]*:table/([A-Za-z0-9_.-]{1,255})/stream/.+");

  public Mapping {
    tables = List.copyOf(tables);
    if (tables.isEmpty()) throw new IllegalArgumentException("a mapping needs a table");
    if (routesEveryTable && tables.size() != 1) {
      throw new IllegalArgumentException("only a one-table mapping routes every table");
    }
  }

  /** Where a record goes, by the source table named in its eventSourceARN. */
  public sealed interface Route {
    /**
     * @param sourceTable the table the ARN names, null if it names none (version 1 only)
     */
    record To(TableSpec table, String sourceTable) implements Route {}

    /** A DynamoDB table no entry names: a configuration error, never a reason to drop records. */
    record UnknownTable(String sourceTable) implements Route {}

    /** Not a DynamoDB stream ARN at all: the record's metadata is broken. */
    record NotAStreamArn() implements Route {}
  }

  public Route route(String eventSourceArn) {
    String name = sourceTable(eventSourceArn).orElse(null);
    if (routesEveryTable) return new Route.To(tables.get(0), name);
    if (name == null) return new Route.NotAStreamArn();
    for (TableSpec t : tables) {
      if (name.equals(t.source()) || name.equals(t.shadow())) return new Route.To(t, name);
    }
    return new Route.UnknownTable(name);
  }

  /** The table name of a DynamoDB stream ARN. */
  public static Optional<String> sourceTable(String eventSourceArn) {
    if (eventSourceArn == null) return Optional.empty();
    Matcher m = STREAM_ARN.matcher(eventSourceArn);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  public Optional<TableSpec> table(String name) {
    return tables.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /** Every entry with the TTL-delete policy {@code value} (the TTL_DELETES override). */
  public Mapping withTtlDeletes(TtlDeletes value) {
    return new Mapping(
        tables.stream().map(t -> t.withTtlDeletes(value)).toList(), routesEveryTable);
  }
}
