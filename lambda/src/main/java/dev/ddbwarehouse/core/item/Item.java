package dev.ddbwarehouse.core.item;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One DynamoDB item (or key set): attribute name to typed value. */
public record Item(Map<String, DynamoValue> attributes) {

  public Item {
    attributes = attributes instanceof Adopted a ? a.view : Map.copyOf(attributes);
  }

  /**
   * An item of a map its caller built for it and hands over, never to touch again (an event
   * reader's fresh map per image): read through an unmodifiable view instead of copied, since every
   * attribute of every record passed through the copy.
   */
  public static Item adopt(Map<String, DynamoValue> fresh) {
    return new Item(new Adopted(fresh));
  }

  /** Marks a handed-over map; the constructor keeps its view. */
  private static final class Adopted extends java.util.AbstractMap<String, DynamoValue> {
    final Map<String, DynamoValue> view;

    Adopted(Map<String, DynamoValue> fresh) {
      this.view = java.util.Collections.unmodifiableMap(fresh);
    }

    @Override
    public Set<Entry<String, DynamoValue>> entrySet() {
      return view.entrySet();
    }
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
