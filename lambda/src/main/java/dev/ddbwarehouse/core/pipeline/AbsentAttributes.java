package dev.ddbwarehouse.core.pipeline;

import dev.ddbwarehouse.core.change.EventKind;
import dev.ddbwarehouse.core.change.IncomingRecord;
import dev.ddbwarehouse.core.change.SourceRecord;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which expected attributes no new image of a batch carries. One item without an e-mail is data; a
 * whole batch without one is usually a mapping that names an attribute the table does not have.
 */
final class AbsentAttributes {

  private AbsentAttributes() {}

  /**
   * The attributes of {@code expected} that appear in none of the new images (INSERT and MODIFY) of
   * {@code records}, sorted; empty when the batch carries no new image, since then there is nothing
   * to tell. Stops looking as soon as every attribute has been seen, usually at the first image.
   */
  static List<String> in(Set<String> expected, List<IncomingRecord> records) {
    Set<String> missing = new TreeSet<>(expected);
    boolean sawImage = false;
    for (IncomingRecord incoming : records) {
      if (missing.isEmpty()) break;
      if (!(incoming instanceof IncomingRecord.Readable readable)) continue;
      SourceRecord record = readable.record();
      if (record.kind() == EventKind.REMOVE || record.newImage() == null) continue;
      sawImage = true;
      missing.removeAll(record.newImage().names());
    }
    return sawImage ? List.copyOf(missing) : List.of();
  }
}
