package dev.ddbwarehouse.sink.jooq;

import dev.ddbwarehouse.core.change.Change;
import dev.ddbwarehouse.core.policy.AttributeRule;
import dev.ddbwarehouse.core.policy.Treatment;
import dev.ddbwarehouse.core.table.Erasure;
import dev.ddbwarehouse.core.table.RowKey;
import dev.ddbwarehouse.core.table.TableSpec;
import dev.ddbwarehouse.core.value.TextForm;
import dev.ddbwarehouse.db.TransactionDeadline;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The erasure check of a batch, inside its transaction: which of its subjects are on the
 * suppression list ({@code etl.erased_subjects}), and the batch as it must be written for them — an
 * erased subject's image dropped (tables whose action is delete) or written anonymised, never
 * written raw and fixed afterwards.
 *
 * <p>Ordering against an erasure: every batch holds {@link #ERASURE_LOCK} shared for its whole
 * transaction, taken before it reads the list or locks any row; an erasure takes it exclusively
 * (see {@link SubjectStore}). So an erasure that commits before the batch's lock is seen by the
 * list lookup that follows it (each statement of a READ COMMITTED transaction sees what committed
 * before it started), and one that starts while the batch runs waits for the batch to commit and
 * then erases what it wrote. Batches never wait for each other on this lock.
 *
 * <p>Cost: probing the list's index for every pseudonym of a batch (five per transaction) cost a
 * tenth of the pipeline's throughput with 100,000 erased subjects. Instead the sink keeps a compact
 * copy: a sorted array of 64-bit fingerprints of (namespace, key version, pseudonym), brought up to
 * date in every batch's transaction by reading the rows after the last id it has (erasures commit
 * one at a time, so ids arrive in commit order; usually no row). Only subjects whose fingerprint is
 * in the copy are looked up exactly; a fingerprint collision costs one lookup, never a wrong drop.
 */
final class Suppression {

  /** The advisory lock key erasures and batches serialise on ("ddwerase" as 8 ASCII bytes). */
  static final long ERASURE_LOCK = 0x6464776572617365L;

  private static final String LOOKUP =
      "SELECT u.ns, u.version, u.token FROM unnest(?::text[], ?::text[], ?::text[])"
          + " AS u(ns, version, token) WHERE EXISTS (SELECT 1 FROM etl.erased_subjects e"
          + " WHERE e.namespace = u.ns AND e.key_version = u.version AND e.pseudonym = u.token)";

  /** A subject as the list holds it. */
  record Subject(String namespace, String keyVersion, String token) {}

  /** Per table: the indices of its pseudonym columns and their namespaces. */
  private record Columns(int[] index, String[] namespace, int[] keyIndex, String[] keyNamespace) {
    static Columns of(TableSpec table) {
      List<AttributeRule> rules = table.columnRules();
      List<Integer> idx = new ArrayList<>();
      List<Integer> keyIdx = new ArrayList<>();
      for (int i = 0; i < rules.size(); i++) {
        if (rules.get(i).treatment() != Treatment.PSEUDONYMISE) continue;
        idx.add(i);
        if (i < table.keyAttributes().size()) keyIdx.add(i);
      }
      return new Columns(
          idx.stream().mapToInt(Integer::intValue).toArray(),
          idx.stream().map(i -> rules.get(i).namespace()).toArray(String[]::new),
          keyIdx.stream().mapToInt(Integer::intValue).toArray(),
          keyIdx.stream().map(i -> rules.get(i).namespace()).toArray(String[]::new));
    }
  }

  private static final String NEWER =
      "SELECT id, namespace, key_version, pseudonym FROM etl.erased_subjects"
          + " WHERE id > ? AND key_version = ANY (?::text[]) ORDER BY id";

  private final String suppressionVersion;
  private final String activeVersion;
  private final Map<String, Columns> columns = new HashMap<>();

  /** Sorted fingerprints of the listed subjects under the two versions looked up. */
  private long[] known = new long[0];

  private long lastId;

  Suppression(List<TableSpec> tables, String suppressionVersion, String activeVersion) {
    this.suppressionVersion = suppressionVersion;
    this.activeVersion = activeVersion;
    for (TableSpec t : tables) columns.put(t.name(), Columns.of(t));
  }

  /**
   * A batch's first statements, sent with its transaction's budget ({@link
   * TransactionDeadline.Opening}): the batch's side of the erasure lock, held until the transaction
   * ends, then the list's newest id, a statement of its own, so that its snapshot is taken once the
   * lock is held. {@link #catchUp} goes on from there. One per transaction.
   */
  static final class Start implements TransactionDeadline.Opening {
    // The newest id first, from the end of its index: a statement prepared once plans "id > ?"
    // generically, as a third of the table, and a sequential scan per batch cost a tenth of the
    // throughput with 100,000 subjects listed.
    private static final String SQL =
        "SELECT pg_advisory_xact_lock_shared("
            + ERASURE_LOCK
            + "); SELECT coalesce(max(id), 0) FROM etl.erased_subjects";

    private long newest = -1;

    @Override
    public String sql() {
      return SQL;
    }

    @Override
    public void read(Statement s) throws SQLException {
      s.getMoreResults(); // past the lock's
      try (ResultSet r = s.getResultSet()) {
        r.next();
        newest = r.getLong(1);
      }
    }

    /** The list's newest id as the transaction saw it once it held the lock. */
    long newest() {
      if (newest < 0) throw new IllegalStateException("the batch's opening statements did not run");
      return newest;
    }
  }

  /**
   * The batch's writes as they must be written: an erased subject's images dropped or anonymised
   * per their table's action, its deletes dropped (a tombstone keyed by its pseudonym would keep
   * it). {@code quarantineKeys} are looked up too, under {@code activeVersion}; their erased ones
   * are added to {@code erasedQuarantine}.
   */
  List<Change.Write> apply(
      Connection connection,
      Start start,
      List<Change.Write> writes,
      List<Change.Quarantine> quarantine,
      String activeVersion,
      Set<Change.Quarantine> erasedQuarantine)
      throws SQLException {
    catchUp(connection, start);
    if (known.length == 0) return writes;
    Set<Subject> asked = new LinkedHashSet<>();
    Consumer<Subject> flagged =
        s -> {
          if (Arrays.binarySearch(known, fingerprint(s)) >= 0) asked.add(s);
        };
    for (Change.Write w : writes) {
      if (w instanceof Change.Upsert u) {
        flagImage(u, asked); // the bulk of every batch: no allocation unless flagged
      } else {
        subjects(w, flagged);
      }
    }
    for (Change.Quarantine q : quarantine) quarantineSubjects(q, activeVersion, flagged);
    if (asked.isEmpty()) return writes;
    Set<Subject> erased = lookUp(connection, asked);
    if (erased.isEmpty()) return writes;
    List<Change.Write> out = new ArrayList<>(writes.size());
    for (Change.Write w : writes) {
      boolean[] hit = {false};
      subjects(w, s -> hit[0] |= erased.contains(s));
      if (!hit[0]) {
        out.add(w);
      } else if (w instanceof Change.Upsert u
          && u.table().erasure().action() == Erasure.Action.ANONYMISE) {
        out.add(
            new Change.Upsert(u.meta(), u.sequence(), u.row().anonymised(), u.droppedAttributes()));
      }
    }
    for (Change.Quarantine q : quarantine) {
      boolean[] hit = {false};
      quarantineSubjects(q, activeVersion, s -> hit[0] |= erased.contains(s));
      if (hit[0]) erasedQuarantine.add(q);
    }
    return out;
  }

  /**
   * Whether a fingerprint of one of the image's pseudonyms is in the copy; each such subject is
   * added to {@code asked}, or, when it is null, the first one answers. No allocation unless one
   * is.
   */
  private boolean flagImage(Change.Upsert u, Set<Subject> asked) {
    Columns c = columns.get(u.table().name());
    long version = suppressionVersion.hashCode();
    boolean flagged = false;
    for (int j = 0; j < c.index.length; j++) {
      String token = u.row().token(c.index[j]);
      if (token == null) continue;
      if (Arrays.binarySearch(known, fingerprint(c.namespace[j], version, token)) < 0) continue;
      if (asked == null) return true;
      asked.add(new Subject(c.namespace[j], suppressionVersion, token));
      flagged = true;
    }
    return flagged;
  }

  private void subjects(Change.Write w, Consumer<Subject> out) {
    Columns c = columns.get(w.table().name());
    if (w instanceof Change.Upsert u) {
      for (int j = 0; j < c.index.length; j++) {
        String token = u.row().token(c.index[j]);
        if (token != null) out.accept(new Subject(c.namespace[j], suppressionVersion, token));
      }
    } else if (w instanceof Change.Delete d) {
      keySubjects(c, d.suppressionKey(), suppressionVersion, out);
    }
  }

  private void quarantineSubjects(Change.Quarantine q, String version, Consumer<Subject> out) {
    if (q.table() == null || q.key() == null) return;
    keySubjects(columns.get(q.table().name()), q.key(), version, out);
  }

  private static void keySubjects(Columns c, RowKey key, String version, Consumer<Subject> out) {
    for (int j = 0; j < c.keyIndex.length; j++) {
      Object part = key.parts().get(c.keyIndex[j]);
      if (part != null) out.accept(new Subject(c.keyNamespace[j], version, TextForm.of(part)));
    }
  }

  /**
   * Whether a change may be of a listed subject: a fingerprint of one of its pseudonyms (an
   * image's, a delete's key parts) is in the copy (see {@link #catchUp}, which must have run in the
   * transaction). No allocation for an image.
   */
  boolean mayBeErased(Change.Write w) {
    if (known.length == 0) return false;
    if (w instanceof Change.Upsert u) return flagImage(u, null);
    boolean[] hit = {false};
    subjects(w, s -> hit[0] |= Arrays.binarySearch(known, fingerprint(s)) >= 0);
    return hit[0];
  }

  /**
   * Reads the rows erasures committed since the last batch (usually none) into the copy, in the
   * transaction {@code start} opened; true when that added a subject.
   */
  boolean catchUp(Connection connection, Start start) throws SQLException {
    long newest = start.newest();
    if (newest <= lastId) return false;
    List<Long> added = new ArrayList<>();
    long last = lastId;
    try (PreparedStatement s = connection.prepareStatement(NEWER)) {
      s.setLong(1, last);
      s.setArray(
          2, connection.createArrayOf("text", new String[] {suppressionVersion, activeVersion}));
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          last = r.getLong(1);
          added.add(fingerprint(new Subject(r.getString(2), r.getString(3), r.getString(4))));
        }
      }
    }
    if (added.isEmpty()) {
      lastId = newest; // rows of other key versions only
      return false;
    }
    long[] merged = Arrays.copyOf(known, known.length + added.size());
    for (int i = 0; i < added.size(); i++) merged[known.length + i] = added.get(i);
    Arrays.sort(merged);
    // Published only once the read is complete: a failed read leaves the copy as it was.
    known = merged;
    lastId = Math.max(last, newest);
    return true;
  }

  /** 64 bits of the pseudonym (itself an HMAC: uniform) mixed with its namespace and version. */
  static long fingerprint(Subject s) {
    return fingerprint(s.namespace(), s.keyVersion().hashCode(), s.token());
  }

  private static long fingerprint(String namespace, long versionHash, String token) {
    long bits;
    if (token.length() >= 16 && isHex(token, 16)) {
      bits = Long.parseUnsignedLong(token, 0, 16, 16);
    } else {
      bits = token.hashCode() * 0x9E3779B97F4A7C15L;
    }
    return bits ^ (namespace.hashCode() * 0xC2B2AE3D27D4EB4FL) ^ versionHash;
  }

  private static boolean isHex(String s, int n) {
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
  }

  private static Set<Subject> lookUp(Connection connection, Set<Subject> asked)
      throws SQLException {
    int n = asked.size();
    String[] ns = new String[n];
    String[] versions = new String[n];
    String[] tokens = new String[n];
    int i = 0;
    for (Subject s : asked) {
      ns[i] = s.namespace();
      versions[i] = s.keyVersion();
      tokens[i++] = s.token();
    }
    Set<Subject> erased = new HashSet<>();
    try (PreparedStatement s = connection.prepareStatement(LOOKUP)) {
      Array a = connection.createArrayOf("text", ns);
      Array b = connection.createArrayOf("text", versions);
      Array c = connection.createArrayOf("text", tokens);
      s.setArray(1, a);
      s.setArray(2, b);
      s.setArray(3, c);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) erased.add(new Subject(r.getString(1), r.getString(2), r.getString(3)));
      }
    }
    return erased;
  }
}
