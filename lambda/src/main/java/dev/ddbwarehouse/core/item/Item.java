package dev.ddbwarehouse.core.item;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One DynamoDB item (or key set): attribute name to typed value. Its map is always an immutable
 * {@link Attributes}: an event reader builds one per image and hands it over without a copy.
 */
public record Item(Map<String, DynamoValue> attributes) {

  public Item {
    attributes = Attributes.copyOf(attributes);
  }

  /** The attributes, as the compact map they are held in (positions, names, values). */
  public Attributes compact() {
    return (Attributes) attributes;
  }

  public Optional<DynamoValue> get(String name) {
    return Optional.ofNullable(attributes.get(name));
  }

  public Set<String> names() {
    return attributes.keySet();
  }

  @Override
  public String toString() {
    return "Item" + attributes.keySet();
  }
}
