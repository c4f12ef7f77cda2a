package dev.ddbwarehouse.backfill.verify;

import dev.ddbwarehouse.core.json.JsonText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An item's key as the warehouse stores it: one text per key column, pseudonymised where the
 * entry's rule says so, in the text form the sink writes. Never the raw value of an identifying
 * key, so it may be printed.
 */
record StoredKey(List<String> parts) {

  StoredKey {
    parts = List.copyOf(parts);
  }

  /** As etl.quarantine.source_key holds it: column name to text, as the sink writes it. */
  String json(List<String> columns) {
    Map<String, Object> key = new LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      key.put(columns.get(i), parts.get(i));
    }
    return JsonText.write(key);
  }

  /** For reports: the value of a one-column key, else the source_key JSON (unambiguous). */
  String display(List<String> columns) {
    return parts.size() == 1 ? parts.get(0) : json(columns);
  }
}
