package dev.ddbwarehouse.core.item;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An item's attributes, immutable once built: a {@link NameIndex} of the names and their values by
 * position, in the order they were read. Every attribute of every record is added once and looked
 * up about once, and a HashMap's node per entry plus an unmodifiable view's wrapper per entry were
 * a large part of reading an image.
 */
public final class Attributes extends AbstractMap<String, DynamoValue> {

  private final NameIndex names;
  private DynamoValue[] values;

  private Attributes(int expected) {
    names = new NameIndex(expected);
    values = new DynamoValue[names.capacity()];
  }

  /** Of any map: its entries, in its iteration order; a null name or value is refused. */
  public static Attributes copyOf(Map<String, DynamoValue> map) {
    if (map instanceof Attributes a) return a;
    Builder b = new Builder(map.size());
    for (Map.Entry<String, DynamoValue> e : map.entrySet()) {
      if (!b.add(e.getKey(), e.getValue())) {
        throw new IllegalArgumentException("an attribute name is given twice");
      }
    }
    return b.build();
  }

  /** Fills one item's attributes; {@link #build()} hands them over and ends the builder. */
  public static final class Builder {
    private Attributes building;

    public Builder(int expected) {
      building = new Attributes(expected);
    }

    /** False, and nothing added, when the item has {@code name} already. */
    public boolean add(String name, DynamoValue value) {
      Objects.requireNonNull(value, "attribute value");
      Attributes a = building;
      int at = a.names.add(name);
      if (at < 0) return false;
      if (at == a.values.length) a.values = Arrays.copyOf(a.values, a.names.capacity());
      a.values[at] = value;
      return true;
    }

    public Attributes build() {
      Attributes built = building;
      if (built == null) throw new IllegalStateException("already built");
      building = null;
      return built;
    }
  }

  /** The position of {@code name}, or -1. */
  public int indexOf(Object name) {
    return names.indexOf(name);
  }

  public String name(int position) {
    return names.name(position);
  }

  public DynamoValue value(int position) {
    Objects.checkIndex(position, names.size());
    return values[position];
  }

  @Override
  public int size() {
    return names.size();
  }

  @Override
  public DynamoValue get(Object name) {
    int i = names.indexOf(name);
    return i < 0 ? null : values[i];
  }

  @Override
  public boolean containsKey(Object name) {
    return names.indexOf(name) >= 0;
  }

  @Override
  public Set<Entry<String, DynamoValue>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return names.size();
      }

      @Override
      public Iterator<Entry<String, DynamoValue>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < names.size();
          }

          @Override
          public Entry<String, DynamoValue> next() {
            if (next >= names.size()) throw new NoSuchElementException();
            int i = next++;
            return new SimpleImmutableEntry<>(names.name(i), values[i]);
          }
        };
      }
    };
  }
}
