package dev.ddbwarehouse.local.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The physical reference: the rows the pipeline produced, copied with raw COPY into an identical
 * table (same columns, constraints and indexes), in chunks of the batch size, one transaction each.
 */
final class CopyReference {

  /** The pipeline's table; the reference table is created LIKE it. */
  static final String SOURCE = "warehouse.transactions";

  private static final String TARGET = "bench_ref.transactions";

  private CopyReference() {}

  /**
   * Returns the seconds the chunked COPY took; the rows are left in bench_ref until the next call.
   */
  static double copySeconds(Connection admin, int batchSize) throws SQLException, IOException {
    try (Statement s = admin.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS bench_ref");
      s.execute("DROP TABLE IF EXISTS " + TARGET);
      s.execute("CREATE TABLE " + TARGET + " (LIKE " + SOURCE + " INCLUDING ALL)");
    }
    CopyManager copy = admin.unwrap(PGConnection.class).getCopyAPI();
    ByteArrayOutputStream rows = new ByteArrayOutputStream();
    copy.copyOut("COPY " + SOURCE + " TO STDOUT", rows);
    List<byte[]> chunks = chunks(rows.toByteArray(), batchSize);
    boolean autoCommit = admin.getAutoCommit();
    admin.setAutoCommit(true);
    long start = System.nanoTime();
    for (byte[] chunk : chunks) {
      copy.copyIn("COPY " + TARGET + " FROM STDIN", new ByteArrayInputStream(chunk));
    }
    long nanos = System.nanoTime() - start;
    admin.setAutoCommit(autoCommit);
    return nanos / 1e9;
  }

  static void drop(Connection admin) throws SQLException {
    try (Statement s = admin.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS bench_ref CASCADE");
    }
  }

  /** Splits COPY text output into chunks of {@code rows} lines (text format: one row per line). */
  private static List<byte[]> chunks(byte[] text, int rows) {
    List<byte[]> chunks = new ArrayList<>();
    int start = 0;
    int lines = 0;
    for (int i = 0; i < text.length; i++) {
      if (text[i] == '\n' && ++lines == rows) {
        chunks.add(java.util.Arrays.copyOfRange(text, start, i + 1));
        start = i + 1;
        lines = 0;
      }
    }
    if (start < text.length) {
      chunks.add(java.util.Arrays.copyOfRange(text, start, text.length));
    }
    return chunks;
  }
}
