package dev.ddbwarehouse.sink.jooq;

import dev.ddbwarehouse.core.InvalidConfigurationException;
import dev.ddbwarehouse.core.policy.AttributeRule;
import dev.ddbwarehouse.core.policy.Output;
import dev.ddbwarehouse.core.table.TableSpec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.Catalog;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.Schema;
import org.jooq.Table;
import org.jooq.UniqueKey;
import org.jooq.impl.DSL;

/**
 * A table entry bound to its warehouse table in the jOOQ classes generated from the migrations:
 * every column the sink writes, taken from the generated table, never from a string literal. {@link
 * #bind} is the start-up check that the entry fits the table.
 */
final class BoundTable {

  /** The columns every target table needs for the replay guard and the soft delete. */
  private static final Map<String, Class<?>> BOOKKEEPING =
      Map.of(
          "key_version", String.class,
          "source_version", OffsetDateTime.class,
          "source_stream", String.class,
          "source_sequence", BigDecimal.class,
          "ingested_at", OffsetDateTime.class,
          "deleted_at", OffsetDateTime.class);

  final TableSpec spec;
  final Table<?> table;

  /** One per {@link TableSpec#columnNames()}, in that order. */
  final List<Field<?>> columns;

  final List<Field<?>> keys;
  final Field<String> keyVersion;
  final Field<OffsetDateTime> sourceVersion;
  final Field<String> sourceStream;

  /** numeric(40,0): generated as BigInteger or BigDecimal, depending on precision. */
  final Field<Object> sourceSequence;

  final Field<OffsetDateTime> ingestedAt;
  final Field<OffsetDateTime> deletedAt;

  /** The session-local table the staged lane COPYs into. */
  final String staging;

  private BoundTable(TableSpec spec, Table<?> table, List<Field<?>> columns) {
    this.spec = spec;
    this.table = table;
    this.columns = List.copyOf(columns);
    this.keys = columns.subList(0, spec.keyAttributes().size());
    this.keyVersion = field(table, "key_version", String.class);
    this.sourceVersion = field(table, "source_version", OffsetDateTime.class);
    this.sourceStream = field(table, "source_stream", String.class);
    this.sourceSequence = untyped(table, "source_sequence");
    this.ingestedAt = field(table, "ingested_at", OffsetDateTime.class);
    this.deletedAt = field(table, "deleted_at", OffsetDateTime.class);
    this.staging = "etl_staging_" + spec.target().schema() + "_" + spec.target().name();
  }

  @SuppressWarnings("unchecked")
  private static Field<Object> untyped(Table<?> table, String name) {
    return (Field<Object>) table.field(name);
  }

  @SuppressWarnings("unchecked")
  private static <T> Field<T> field(Table<?> table, String name, Class<T> type) {
    return (Field<T>) table.field(name, type);
  }

  /**
   * Checks {@code spec} against {@code catalog} and binds it.
   *
   * @throws InvalidConfigurationException naming the entry, the attribute and what does not fit
   */
  static BoundTable bind(TableSpec spec, Catalog catalog) {
    String where = "mapping entry tables." + spec.name();
    Schema schema = catalog.getSchema(spec.target().schema());
    Table<?> table = schema == null ? null : schema.getTable(spec.target().name());
    if (table == null) {
      throw new InvalidConfigurationException(
          where
              + ": target table "
              + spec.target()
              + " does not exist (add it with a Flyway migration, then rebuild)");
    }
    List<Field<?>> columns = new ArrayList<>();
    for (AttributeRule rule : spec.columnRules()) {
      String at = where + ": attributes." + rule.attribute();
      Field<?> f = table.field(rule.column());
      if (f == null) {
        throw new InvalidConfigurationException(
            at + ": column " + rule.column() + " does not exist in " + spec.target());
      }
      if (!fits(rule.output(), f.getDataType())) {
        throw new InvalidConfigurationException(
            at
                + ": column "
                + rule.column()
                + " of "
                + spec.target()
                + " is "
                + f.getDataType().getTypeName()
                + ", but treatment \""
                + rule.treatment().documentName()
                + "\""
                + (rule.type() == null ? "" : " (type \"" + rule.type().documentName() + "\")")
                + " writes "
                + rule.output().description());
      }
      columns.add(f);
    }
    if (spec.hasExtra()) {
      Field<?> extra = table.field(TableSpec.EXTRA_COLUMN);
      if (extra == null || extra.getType() != JSONB.class) {
        throw new InvalidConfigurationException(
            where
                + ": treatment \"extra\" needs a jsonb column "
                + TableSpec.EXTRA_COLUMN
                + " in "
                + spec.target());
      }
      columns.add(extra);
    }
    for (Map.Entry<String, Class<?>> b : BOOKKEEPING.entrySet()) {
      Field<?> f = table.field(b.getKey());
      boolean numeric =
          f != null
              && b.getValue() == BigDecimal.class
              && (f.getType() == BigInteger.class || f.getType() == BigDecimal.class);
      if (f == null || (f.getType() != b.getValue() && !numeric)) {
        throw new InvalidConfigurationException(
            where
                + ": "
                + spec.target()
                + " lacks the bookkeeping column "
                + b.getKey()
                + " ("
                + (b.getValue() == String.class
                    ? "text"
                    : b.getValue() == BigDecimal.class ? "numeric(40,0)" : "timestamptz")
                + "); docs/mapping.md lists what the sink needs");
      }
    }
    UniqueKey<?> pk = table.getPrimaryKey();
    Set<String> pkColumns = new HashSet<>();
    if (pk != null) pk.getFields().forEach(f -> pkColumns.add(f.getName()));
    if (!pkColumns.equals(new HashSet<>(spec.keyColumns()))) {
      throw new InvalidConfigurationException(
          where
              + ": the primary key of "
              + spec.target()
              + " must be exactly the key columns "
              + spec.keyColumns()
              + " (key attributes "
              + spec.keyAttributes()
              + "), is "
              + pkColumns);
    }
    return new BoundTable(spec, table, columns);
  }

  private static boolean fits(Output output, DataType<?> type) {
    Class<?> t = type.getType();
    String name = type.getTypeName().toLowerCase(java.util.Locale.ROOT);
    return switch (output) {
      case TEXT -> t == String.class;
      case NUMBER -> t == BigDecimal.class;
      case INTEGER ->
          t == Short.class
              || t == Integer.class
              || t == Long.class
              || t == BigInteger.class
              || t == BigDecimal.class;
      case BOOLEAN -> t == Boolean.class;
      // timestamptz only: a timestamp without time zone would take the session's zone.
      case TIMESTAMP -> t == OffsetDateTime.class;
      case DATE -> t == LocalDate.class;
      case CALENDAR -> t == LocalDate.class || t == OffsetDateTime.class;
      case TEXT_ARRAY -> t == String[].class;
      case NETWORK -> t == String.class || name.equals("cidr") || name.equals("inet");
      case JSON -> t == JSONB.class;
    };
  }

  /** Every bound column's name, comma-separated. */
  /**
   * The entry's target table by name alone, for statements on tables the generated catalog need not
   * know (erasure, key usage run for whatever the mapping names).
   */
  static Table<Record> named(TableSpec spec) {
    return DSL.table(DSL.name(spec.target().schema(), spec.target().name()));
  }

  static String names(List<Field<?>> fields) {
    List<String> names = new ArrayList<>();
    fields.forEach(f -> names.add(f.getName()));
    return String.join(", ", names);
  }
}
