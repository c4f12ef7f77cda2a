package dev.ddbwarehouse.sink.jooq;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Sends images with {@code COPY … FROM STDIN} in PostgreSQL's text format. The rows go out in
 * chunks as they are encoded, so the server parses one chunk while this thread encodes the next
 * (two cores work at once instead of taking turns).
 */
final class CopyText {

  /** Large enough to amortise a write call, small enough that the server starts early. */
  private static final int CHUNK_CHARS = 64 * 1024;

  private CopyText() {}

  /**
   * Runs {@code copySql} with one line per row, in list order (the order the rows are inserted in),
   * one field per function in {@code fields}, each field's text form or null.
   */
  static <T> void copy(
      Connection connection, String copySql, List<T> rows, List<Function<T, String>> fields)
      throws SQLException {
    Rows<T> out = open(connection, copySql, fields);
    try {
      for (T row : rows) out.add(row);
      out.finish();
    } finally {
      out.cancelIfActive();
    }
  }

  /** Starts {@code copySql}; rows go to the server as they are added, a chunk at a time. */
  static <T> Rows<T> open(Connection connection, String copySql, List<Function<T, String>> fields)
      throws SQLException {
    return new Rows<>(connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql), fields);
  }

  /** A COPY in progress. */
  static final class Rows<T> {
    private final CopyIn copy;
    private final List<Function<T, String>> fields;
    private final StringBuilder chunk = new StringBuilder(CHUNK_CHARS + 4096);

    private Rows(CopyIn copy, List<Function<T, String>> fields) {
      this.copy = copy;
      this.fields = fields;
    }

    void add(T row) throws SQLException {
      appendRow(chunk, row, fields);
      if (chunk.length() >= CHUNK_CHARS) {
        send(copy, chunk);
        chunk.setLength(0);
      }
    }

    /** Sends what is left and ends the COPY: the server's verdict on every row arrives here. */
    void finish() throws SQLException {
      send(copy, chunk);
      chunk.setLength(0);
      copy.endCopy();
    }

    /** Ends a COPY that did not finish, so the connection can roll back. */
    void cancelIfActive() throws SQLException {
      if (copy.isActive()) copy.cancelCopy();
    }
  }

  // One encoded buffer per call: pgjdbc's Reader variant re-encodes in small pieces, which
  // profiling showed costing more than building the text. Flushed, so the server starts on it.
  private static void send(CopyIn copy, StringBuilder chunk) throws SQLException {
    if (chunk.isEmpty()) return;
    byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
    copy.writeToCopy(bytes, 0, bytes.length);
    copy.flushCopy();
  }

  /** One line of COPY text: the row's fields, tab-separated. */
  static <T> void appendRow(StringBuilder out, T row, List<Function<T, String>> fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) out.append('\t');
      appendField(out, fields.get(i).apply(row));
    }
    out.append('\n');
  }

  /** A field in COPY's text format: \\N for NULL; backslash, tab, newline, CR escaped. */
  private static void appendField(StringBuilder out, String value) {
    if (value == null) {
      out.append("\\N");
      return;
    }
    int i = 0;
    while (i < value.length() && !special(value.charAt(i))) i++;
    if (i == value.length()) {
      out.append(value); // the common case: nothing to escape
      return;
    }
    out.append(value, 0, i);
    for (; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(c);
      }
    }
  }

  private static boolean special(char c) {
    return c == '\\' || c == '\t' || c == '\n' || c == '\r';
  }
}
