package dev.ddbwarehouse.core.pipeline;

import dev.ddbwarehouse.core.change.Change;
import dev.ddbwarehouse.core.change.EventKind;
import dev.ddbwarehouse.core.change.IncomingRecord;
import dev.ddbwarehouse.core.change.SourceRecord;
import dev.ddbwarehouse.core.table.TableSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which expected attributes no new image of a batch carries. One item without an e-mail is data; a
 * whole batch without one is usually a mapping that names an attribute the table does not have.
 */
final class AbsentAttributes {

  private AbsentAttributes() {}

  /**
   * Per table the batch has new images (INSERT and MODIFY) of, the attributes of its expected set
   * that none of them carries; all of them, sorted. Empty when the batch carries no new image,
   * since then there is nothing to tell. {@code changes} are the records' changes, index by index:
   * they say which table each record went to.
   */
  static List<String> in(
      Map<String, Set<String>> expected, List<IncomingRecord> records, List<Change> changes) {
    Tracker tracker = new Tracker(expected);
    for (int i = 0; i < records.size(); i++) {
      if (!(records.get(i) instanceof IncomingRecord.Readable readable)) continue;
      TableSpec table = tableOf(changes.get(i));
      if (table != null) tracker.seen(table, readable.record());
    }
    return tracker.absent();
  }

  /** The same, record by record, for a batch read as it is written. */
  static final class Tracker {
    private final Map<String, Set<String>> expected;
    private final Map<String, Set<String>> missing = new HashMap<>();

    Tracker(Map<String, Set<String>> expected) {
      this.expected = expected;
    }

    void seen(TableSpec table, SourceRecord record) {
      if (record.kind() == EventKind.REMOVE || record.newImage() == null) return;
      Set<String> left = missing.computeIfAbsent(table.name(), t -> new TreeSet<>(expected.get(t)));
      if (!left.isEmpty()) left.removeAll(record.newImage().names());
    }

    List<String> absent() {
      SortedSet<String> out = new TreeSet<>();
      missing.values().forEach(out::addAll);
      return List.copyOf(out);
    }
  }

  private static TableSpec tableOf(Change change) {
    return switch (change) {
      case Change.Upsert u -> u.table();
      case Change.Quarantine q -> q.table();
      default -> null;
    };
  }
}
