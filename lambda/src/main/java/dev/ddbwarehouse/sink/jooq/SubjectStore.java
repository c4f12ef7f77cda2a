package dev.ddbwarehouse.sink.jooq;

import dev.ddbwarehouse.core.erasure.SubjectPseudonyms;
import dev.ddbwarehouse.core.erasure.SubjectRequest;
import dev.ddbwarehouse.core.json.JsonText;
import dev.ddbwarehouse.core.pseudonym.KeyRing;
import dev.ddbwarehouse.core.table.Erasure;
import dev.ddbwarehouse.core.table.Mapping;
import dev.ddbwarehouse.core.table.TableSpec;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Carries out data-subject requests against the warehouse: erasure in one transaction (every
 * table's rows of the subject deleted or anonymised as its entry declares, the subject put on the
 * suppression list, the request logged) and export of every row linked to the subject.
 */
public final class SubjectStore {

  /** The report key of the quarantine, whose rows may carry a subject's pseudonymised key. */
  public static final String QUARANTINE = "etl.quarantine";

  private static final Settings SETTINGS =
      new Settings().withExecuteLogging(false).withRenderSchema(true);
  private static final Table<Record> ERASED = DSL.table(DSL.name("etl", "erased_subjects"));
  private static final Table<Record> LOG = DSL.table(DSL.name("etl", "erasure_log"));
  private static final Field<String> KEY_VERSION = DSL.field(DSL.name("key_version"), String.class);
  private static final Field<OffsetDateTime> INGESTED_AT =
      DSL.field(DSL.name("ingested_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);

  /**
   * What an erasure did (or, for a dry run, would do).
   *
   * @param rowsAffected target table (schema.name) or {@link #QUARANTINE} to rows deleted or
   *     anonymised, in mapping order
   * @param alreadyLogged the request id was logged by an earlier run (a redelivered request): this
   *     run's counts are not logged again
   */
  public record ErasureReport(
      String requestId,
      String namespace,
      Map<String, Long> rowsAffected,
      List<String> keyVersions,
      boolean dryRun,
      boolean alreadyLogged) {

    public long total() {
      return rowsAffected.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The function's response: counts only, never the value or a pseudonym. */
    public String toJson() {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("requestId", requestId);
      out.put("action", "forget");
      out.put("namespace", namespace);
      out.put("dryRun", dryRun);
      out.put("rowsAffected", rowsAffected);
      out.put("keyVersions", keyVersions);
      out.put("alreadyLogged", alreadyLogged);
      return JsonText.write(out);
    }
  }

  private final Mapping mapping;
  private final KeyRing keys;

  public SubjectStore(Mapping mapping, KeyRing keys) {
    this.mapping = mapping;
    this.keys = keys;
  }

  /**
   * The subject's pseudonyms under every key version, and the tables that hold its namespace.
   *
   * @throws dev.ddbwarehouse.core.InvalidRequestException when no table uses the namespace
   */
  public SubjectPseudonyms subject(SubjectRequest request) {
    return SubjectPseudonyms.of(mapping, keys, request.namespace(), request.value());
  }

  /**
   * Erases the subject, or counts what erasing would affect when the request is a dry run (nothing
   * changes then). {@code connection} is used in one transaction, committed or rolled back here.
   */
  public ErasureReport forget(Connection connection, SubjectRequest request, Instant requestedAt)
      throws SQLException {
    SubjectPseudonyms subject = subject(request);
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      DSLContext dsl = DSL.using(connection, SQLDialect.POSTGRES, SETTINGS);
      if (!request.dryRun()) {
        // Exclusive: waits for every batch in flight to commit, and holds new ones back until this
        // commits (see Suppression). Taken first, so no batch can hold a row this needs meanwhile.
        dsl.execute("SELECT pg_advisory_xact_lock(?)", Suppression.ERASURE_LOCK);
      }
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
      List<String> pseudonyms = subject.all();
      Map<String, Long> affected = new LinkedHashMap<>();
      for (Map.Entry<TableSpec, List<String>> e : subject.tables().entrySet()) {
        TableSpec spec = e.getKey();
        Table<Record> target = BoundTable.named(spec);
        Condition linked = linked(e.getValue(), pseudonyms);
        long n;
        if (request.dryRun()) {
          n = dsl.fetchCount(target, linked);
        } else if (spec.erasure().action() == Erasure.Action.DELETE) {
          n = dsl.deleteFrom(target).where(linked).execute();
        } else {
          n = anonymise(dsl, spec, target, linked, now);
        }
        affected.merge(spec.target().toString(), n, Long::sum);
      }
      affected.put(QUARANTINE, quarantine(dsl, pseudonyms, request.dryRun()));
      List<String> versions = List.copyOf(subject.byVersion().keySet());
      boolean alreadyLogged = false;
      if (request.dryRun()) {
        connection.rollback();
      } else {
        suppress(dsl, request, subject, now);
        alreadyLogged = !log(dsl, request, requestedAt, now, affected, versions);
        connection.commit();
      }
      return new ErasureReport(
          request.requestId(),
          request.namespace(),
          affected,
          versions,
          request.dryRun(),
          alreadyLogged);
    } catch (DataAccessException e) {
      rollbackQuietly(connection);
      throw sqlException(e);
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly(connection);
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  /**
   * Writes every row linked to the subject, from every table, as one JSON line each ({@code
   * {"table": .., "row": {..}}}): the row as the warehouse stores it, pseudonymised, bookkeeping
   * included. Returns the number of rows.
   */
  public long export(Connection connection, SubjectRequest request, Consumer<String> line)
      throws SQLException {
    try {
      return exportRows(connection, request, line);
    } catch (DataAccessException e) {
      throw sqlException(e);
    }
  }

  private long exportRows(Connection connection, SubjectRequest request, Consumer<String> line)
      throws SQLException {
    SubjectPseudonyms subject = subject(request);
    DSLContext dsl = DSL.using(connection, SQLDialect.POSTGRES, SETTINGS);
    List<String> pseudonyms = subject.all();
    long n = 0;
    for (Map.Entry<TableSpec, List<String>> e : subject.tables().entrySet()) {
      TableSpec spec = e.getKey();
      Table<Record> t = BoundTable.named(spec).as("t");
      Field<String> json = DSL.field("row_to_json(t)::text", String.class);
      List<Field<Object>> order = new ArrayList<>();
      for (String k : spec.keyColumns()) order.add(DSL.field(DSL.name("t", k)));
      for (String row :
          dsl.select(json)
              .from(t)
              .where(linked(e.getValue(), pseudonyms))
              .orderBy(order)
              .fetch(json)) {
        line.accept(
            "{\"table\":" + JsonText.write(spec.target().toString()) + ",\"row\":" + row + "}");
        n++;
      }
    }
    if (!connection.getAutoCommit()) connection.rollback();
    return n;
  }

  private static Condition linked(List<String> columns, List<String> pseudonyms) {
    Condition c = DSL.falseCondition();
    for (String column : columns) {
      c = c.or(DSL.field(DSL.name(column), String.class).in(pseudonyms));
    }
    return c;
  }

  private static long anonymise(
      DSLContext dsl, TableSpec spec, Table<Record> target, Condition linked, OffsetDateTime now) {
    Map<Field<?>, Object> set = new LinkedHashMap<>();
    for (String c : spec.pseudonymColumns()) set.put(DSL.field(DSL.name(c)), null);
    for (String c : spec.erasure().clearColumns()) set.put(DSL.field(DSL.name(c)), null);
    set.put(KEY_VERSION, null);
    set.put(INGESTED_AT, now);
    return dsl.update(target).set(set).where(linked).execute();
  }

  /** Quarantined records keyed by one of the subject's pseudonyms: their position is all kept. */
  private static long quarantine(DSLContext dsl, List<String> pseudonyms, boolean dryRun) {
    Table<Record> q = DSL.table(DSL.name("etl", "quarantine"));
    Condition keyed =
        DSL.condition(
            "exists (select 1 from jsonb_each_text(source_key) k where k.value = any(?::text[]))",
            (Object) pseudonyms.toArray(String[]::new));
    if (dryRun) return dsl.fetchCount(q, keyed);
    return dsl.update(q)
        .set(DSL.field(DSL.name("source_key"), JSONB.class), (JSONB) null)
        .where(keyed)
        .execute();
  }

  private void suppress(
      DSLContext dsl, SubjectRequest request, SubjectPseudonyms subject, OffsetDateTime now) {
    var insert =
        dsl.insertInto(
            ERASED,
            DSL.field(DSL.name("namespace"), String.class),
            KEY_VERSION,
            DSL.field(DSL.name("pseudonym"), String.class),
            DSL.field(DSL.name("request_id"), String.class),
            DSL.field(DSL.name("erased_at"), SQLDataType.TIMESTAMPWITHTIMEZONE));
    for (Map.Entry<String, java.util.Set<String>> v : subject.byVersion().entrySet()) {
      for (String p : v.getValue()) {
        insert = insert.values(subject.namespace(), v.getKey(), p, request.requestId(), now);
      }
    }
    insert.onConflictDoNothing().execute();
  }

  /** False when the request id was logged before. */
  private boolean log(
      DSLContext dsl,
      SubjectRequest request,
      Instant requestedAt,
      OffsetDateTime now,
      Map<String, Long> affected,
      List<String> versions) {
    return dsl.insertInto(
                LOG,
                DSL.field(DSL.name("request_id"), String.class),
                DSL.field(DSL.name("namespace"), String.class),
                DSL.field(DSL.name("requested_at"), SQLDataType.TIMESTAMPWITHTIMEZONE),
                DSL.field(DSL.name("completed_at"), SQLDataType.TIMESTAMPWITHTIMEZONE),
                DSL.field(DSL.name("rows_affected"), SQLDataType.JSONB),
                DSL.field(DSL.name("key_versions"), SQLDataType.VARCHAR.array()),
                DSL.field(DSL.name("suppression_version"), String.class))
            .values(
                request.requestId(),
                request.namespace(),
                requestedAt.atOffset(ZoneOffset.UTC),
                now,
                JSONB.valueOf(JsonText.write(affected)),
                versions.toArray(String[]::new),
                keys.suppressionVersion())
            .onConflictDoNothing()
            .execute()
        == 1;
  }

  /**
   * The driver's exception under jOOQ's: callers handle database failures as {@link SQLException}
   * (the SQLSTATE tells a refused role from a lost connection), and jOOQ's message quotes the SQL
   * and the server's text, which can carry a row's values.
   */
  private static SQLException sqlException(DataAccessException e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) return sql;
    }
    throw e;
  }

  private static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // The caller sees the original failure.
    }
  }
}
