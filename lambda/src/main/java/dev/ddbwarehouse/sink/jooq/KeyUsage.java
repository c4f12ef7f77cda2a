package dev.ddbwarehouse.sink.jooq;

import dev.ddbwarehouse.core.table.Mapping;
import dev.ddbwarehouse.core.table.TableSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * Which key versions the warehouse's rows carry: what a re-key has left to do, and whether a
 * version can leave the ring. Counts only.
 */
public final class KeyUsage {

  /**
   * Rows of one table under one key version; {@code keyVersion} null for rows without pseudonyms
   * (anonymised by erasure, bare tombstones).
   */
  public record Count(String table, String keyVersion, long live, long deleted) {}

  private KeyUsage() {}

  /** Per table of the mapping, per key version, in table then version order. */
  public static List<Count> count(Connection connection, Mapping mapping) throws SQLException {
    List<Count> out = new ArrayList<>();
    for (TableSpec t : mapping.tables()) {
      String table = DSL.using(SQLDialect.POSTGRES).render(BoundTable.named(t));
      String sql =
          "SELECT key_version, count(*) FILTER (WHERE deleted_at IS NULL),"
              + " count(*) FILTER (WHERE deleted_at IS NOT NULL) FROM "
              + table
              + " GROUP BY 1 ORDER BY 1 NULLS LAST";
      try (PreparedStatement s = connection.prepareStatement(sql);
          ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(new Count(t.target().toString(), r.getString(1), r.getLong(2), r.getLong(3)));
        }
      }
    }
    return out;
  }

  /** Rows under {@code version}, live and deleted, per table (tables without any left out). */
  public static Map<String, Long> rowsUnder(List<Count> counts, String version) {
    Map<String, Long> out = new TreeMap<>();
    for (Count c : counts) {
      if (version.equals(c.keyVersion())) out.merge(c.table(), c.live() + c.deleted(), Long::sum);
    }
    return out;
  }

  /**
   * Lets the deleted rows under {@code version} go with it, before it leaves the ring (no live row
   * may use it; the caller checks): in a table keyed by a pseudonym they are removed (a tombstone
   * under a key no ring can compute again guards nothing), elsewhere their pseudonyms and key
   * version are cleared (the tombstone keeps guarding its key against replays). Afterwards no row
   * carries a pseudonym nobody could compute, and no erasure could miss. Needs etl_eraser's rights;
   * returns the rows changed per table.
   */
  public static Map<String, Long> releaseDeleted(
      Connection connection, Mapping mapping, String version) throws SQLException {
    Map<String, Long> out = new TreeMap<>();
    for (TableSpec t : mapping.tables()) {
      String table = DSL.using(SQLDialect.POSTGRES).render(BoundTable.named(t));
      boolean keyed = t.keyIsPseudonymised();
      StringBuilder sql = new StringBuilder();
      if (keyed) {
        sql.append("DELETE FROM ").append(table);
      } else {
        sql.append("UPDATE ").append(table).append(" SET key_version = NULL");
        for (String c : t.pseudonymColumns()) {
          sql.append(", ")
              .append(DSL.using(SQLDialect.POSTGRES).render(DSL.name(c)))
              .append(" = NULL");
        }
      }
      sql.append(" WHERE deleted_at IS NOT NULL AND key_version = ?");
      try (PreparedStatement s = connection.prepareStatement(sql.toString())) {
        s.setString(1, version);
        int n = s.executeUpdate();
        if (n > 0) out.put(t.target().toString(), (long) n);
      }
    }
    return out;
  }

  /**
   * Erasure requests whose suppression rows lack {@code version}: they were carried out before it
   * existed, so it cannot become the suppression version. A request repeated (same id) once the
   * ring had {@code version} covers it: the log keeps its first entry, but the repeat added the
   * subject's pseudonyms under {@code version} to the list, with that request id.
   */
  public static long erasuresNotCovering(Connection connection, String version)
      throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT count(*) FROM etl.erasure_log l WHERE NOT (? = ANY (l.key_versions))"
                + " AND NOT EXISTS (SELECT 1 FROM etl.erased_subjects e"
                + " WHERE e.request_id = l.request_id AND e.namespace = l.namespace"
                + " AND e.key_version = ?)")) {
      s.setString(1, version);
      s.setString(2, version);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }
}
