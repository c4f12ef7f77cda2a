package dev.ddbwarehouse.core.item;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One DynamoDB item (or key set): attribute name to typed value. */
public record Item(Map<String, DynamoValue> attributes) {

  public Item {
    attributes = Map.copyOf(attributes);
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
