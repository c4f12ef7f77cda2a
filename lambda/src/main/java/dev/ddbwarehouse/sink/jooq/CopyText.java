package dev.ddbwarehouse.sink.jooq;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Sends rows with {@code COPY … FROM STDIN} in PostgreSQL's text format. The rows go out in chunks
 * as they are encoded, so the server parses one chunk while this thread encodes the next (two cores
 * work at once instead of taking turns).
 */
final class CopyText {

  /** Large enough to amortise a write call, small enough that the server starts early. */
  static final int CHUNK_BYTES = 64 * 1024;

  /**
   * The first chunk of a COPY, doubled with every chunk up to {@link #CHUNK_BYTES}: the server
   * waits for the first one, about six rows of the default mapping. With 8 KiB, a batch's COPY
   * reached the server 0.2 to 0.3 ms after it started, 0.1 ms with 2 KiB (batches of 1,000 take
   * about 20 ms, and the server has nothing else to do meanwhile).
   */
  static final int FIRST_CHUNK_BYTES = 2 * 1024;

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

  /**
   * As {@link #open}, and every encoded byte is kept (see {@link Rows#encoded()}), so that the rows
   * can go to another COPY without being mapped again.
   */
  static <T> Rows<T> openKept(
      Connection connection, String copySql, List<Function<T, String>> fields) throws SQLException {
    Rows<T> rows = open(connection, copySql, fields);
    rows.kept = new ArrayList<>();
    return rows;
  }

  /** Runs {@code copySql} with rows already encoded, as {@link Rows#encoded()} gives them. */
  static void copyEncoded(Connection connection, String copySql, List<byte[]> chunks)
      throws SQLException {
    CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
    try {
      for (byte[] chunk : chunks) copy.writeToCopy(chunk, 0, chunk.length);
      copy.endCopy();
    } finally {
      if (copy.isActive()) copy.cancelCopy();
    }
  }

  /** A COPY in progress. */
  static final class Rows<T> {
    private final CopyIn copy;
    private final List<Function<T, String>> fields;
    private final Encoder chunk = new Encoder();
    private int chunkBytes = FIRST_CHUNK_BYTES;

    /** The chunks sent so far, when kept; byte arrays only, a few dozen for a large batch. */
    private List<byte[]> kept;

    private Rows(CopyIn copy, List<Function<T, String>> fields) {
      this.copy = copy;
      this.fields = fields;
    }

    /** Every row added so far, sent or not, in COPY text; only for {@link #openKept}. */
    List<byte[]> encoded() {
      List<byte[]> all = new ArrayList<>(kept);
      if (chunk.size() > 0) all.add(Arrays.copyOf(chunk.bytes(), chunk.size()));
      return all;
    }

    void add(T row) throws SQLException {
      chunk.row(row, fields);
      if (chunk.size() >= chunkBytes) {
        send();
        chunkBytes = Math.min(2 * chunkBytes, CHUNK_BYTES);
      }
    }

    /** Sends what is left and ends the COPY: the server's verdict on every row arrives here. */
    void finish() throws SQLException {
      send();
      copy.endCopy();
    }

    /** Ends a COPY that did not finish, so the connection can roll back. */
    void cancelIfActive() throws SQLException {
      if (copy.isActive()) copy.cancelCopy();
    }

    // Flushed, so the server starts on the chunk while the next is encoded.
    private void send() throws SQLException {
      if (chunk.size() == 0) return;
      byte[] out = chunk.bytes();
      int size = chunk.size();
      if (kept != null) {
        // Kept before the write: a row the server refuses in this chunk is still in encoded().
        out = Arrays.copyOf(out, size);
        kept.add(out);
      }
      chunk.reset(); // before the write too: encoded() must not count a kept chunk twice
      copy.writeToCopy(out, 0, size);
      copy.flushCopy();
    }
  }

  /**
   * Rows in COPY's text format, encoded straight to UTF-8 in one pass over each value: no
   * intermediate text, no second copy (encoding text first, then its bytes, cost as much as the
   * rest of the encoding together).
   */
  static final class Encoder {
    private byte[] buf = new byte[CHUNK_BYTES + 8 * 1024];
    private int pos;

    /** One line: the row's fields, tab-separated. */
    <T> void row(T row, List<Function<T, String>> fields) {
      for (int i = 0; i < fields.size(); i++) {
        if (i > 0) put((byte) '\t');
        field(fields.get(i).apply(row));
      }
      put((byte) '\n');
    }

    int size() {
      return pos;
    }

    /** The encoded bytes; valid up to {@link #size()}, until the next row. */
    byte[] bytes() {
      return buf;
    }

    void reset() {
      pos = 0;
    }

    /**
     * A field: \N for NULL; backslash, tab, newline, CR escaped. The JDK's own UTF-8 encoding (an
     * intrinsic, a lone surrogate becomes '?'), then one scan of the bytes: the escaped characters
     * are ASCII, and no byte of a multi-byte sequence is ASCII.
     */
    private void field(String value) {
      if (value == null) {
        ensure(2);
        buf[pos++] = '\\';
        buf[pos++] = 'N';
        return;
      }
      byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
      int n = utf8.length;
      int i = 0;
      while (i < n && !special(utf8[i])) i++;
      ensure(i == n ? n : 2 * n);
      System.arraycopy(utf8, 0, buf, pos, i);
      int p = pos + i;
      for (; i < n; i++) {
        byte c = utf8[i];
        switch (c) {
          case '\\' -> {
            buf[p++] = '\\';
            buf[p++] = '\\';
          }
          case '\t' -> {
            buf[p++] = '\\';
            buf[p++] = 't';
          }
          case '\n' -> {
            buf[p++] = '\\';
            buf[p++] = 'n';
          }
          case '\r' -> {
            buf[p++] = '\\';
            buf[p++] = 'r';
          }
          default -> buf[p++] = c;
        }
      }
      pos = p;
    }

    /** The bytes {@link #field} escapes, looked up rather than compared four times per byte. */
    private static final boolean[] SPECIAL = new boolean[256];

    static {
      for (char c : new char[] {'\\', '\t', '\n', '\r'}) SPECIAL[c] = true;
    }

    private static boolean special(byte c) {
      return SPECIAL[c & 0xFF];
    }

    private void put(byte b) {
      ensure(1);
      buf[pos++] = b;
    }

    /** Room for {@code more} bytes. */
    private void ensure(int more) {
      if (pos + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
    }
  }
}
