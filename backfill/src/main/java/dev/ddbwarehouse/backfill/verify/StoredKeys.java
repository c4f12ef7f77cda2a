package dev.ddbwarehouse.backfill.verify;

import dev.ddbwarehouse.core.item.Item;
import dev.ddbwarehouse.core.pseudonym.Pseudonymiser;
import dev.ddbwarehouse.core.table.RowMapper;
import dev.ddbwarehouse.core.table.TableSpec;
import dev.ddbwarehouse.core.value.TextForm;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads a source item's warehouse key and version with the function's own {@link RowMapper}, driven
 * by the mapping document's entry: what verify compares is exactly what the function writes.
 */
public final class StoredKeys {

  private final TableSpec table;
  private final RowMapper mapper;

  /**
   * @param pseudonymiser computes pseudonymised key parts; never used when the entry's key is kept
   *     as is
   */
  public StoredKeys(TableSpec table, Pseudonymiser pseudonymiser) {
    this.table = table;
    this.mapper = new RowMapper(table, pseudonymiser);
  }

  public TableSpec table() {
    return table;
  }

  /** The attributes a scan must read: the key attributes, then the version attributes. */
  List<String> attributes() {
    List<String> names = new ArrayList<>(table.keyAttributes());
    table.versionAttributes().stream().filter(a -> !names.contains(a)).forEach(names::add);
    return names;
  }

  /** Empty when the item has no usable key: the function quarantines such an item. */
  Optional<StoredKey> key(Item item) {
    return mapper.key(item).map(k -> new StoredKey(k.parts().stream().map(TextForm::of).toList()));
  }

  /**
   * The item's version, to the microsecond the warehouse stores (truncated, so an item is never
   * newer than its own row); empty when the entry has no version or the item none usable: the item
   * is then compared by presence alone.
   */
  Optional<Instant> version(Item item) {
    return mapper.version(item).map(v -> v.truncatedTo(ChronoUnit.MICROS));
  }

  Item item(Map<String, AttributeValue> item) {
    return SdkItems.of(item);
  }
}
