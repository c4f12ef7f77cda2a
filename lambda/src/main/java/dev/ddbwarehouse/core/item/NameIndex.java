package dev.ddbwarehouse.core.item;

import java.util.Arrays;
import java.util.Objects;

/**
 * Attribute names in the order they were added, each with its position, behind an open-addressed
 * table: what an item's attributes and a table's rules are looked up by, once per attribute of
 * every record. Not safe for concurrent adds; read-only use after the last add is.
 */
public final class NameIndex {

  private String[] names;
  private int size;

  /** Each name's position plus one, 0 where empty; a power of two, at most half full. */
  private int[] table;

  public NameIndex(int expected) {
    int room = Math.max(4, expected);
    names = new String[room];
    table = new int[Integer.highestOneBit(room * 2 - 1) * 2];
  }

  /** The position {@code name} now has; -1, and nothing added, when it is there already. */
  public int add(String name) {
    Objects.requireNonNull(name, "attribute name");
    if ((size + 1) * 2 > table.length) rehash(table.length * 2);
    int mask = table.length - 1;
    for (int i = spread(name.hashCode()) & mask; ; i = (i + 1) & mask) {
      int at = table[i];
      if (at == 0) {
        if (size == names.length) names = Arrays.copyOf(names, size * 2);
        names[size] = name;
        table[i] = ++size;
        return size - 1;
      }
      if (same(names[at - 1], name)) return -1;
    }
  }

  /** The position of {@code name}, or -1. */
  public int indexOf(Object name) {
    if (!(name instanceof String s)) return -1;
    int mask = table.length - 1;
    for (int i = spread(s.hashCode()) & mask; ; i = (i + 1) & mask) {
      int at = table[i];
      if (at == 0) return -1;
      if (same(names[at - 1], s)) return at - 1;
    }
  }

  public String name(int position) {
    Objects.checkIndex(position, size);
    return names[position];
  }

  public int size() {
    return size;
  }

  /** Room for the positions after {@code size}, as {@link #add} needs it. */
  int capacity() {
    return names.length;
  }

  private void rehash(int length) {
    table = new int[length];
    int mask = length - 1;
    for (int n = 0; n < size; n++) {
      int i = spread(names[n].hashCode()) & mask;
      while (table[i] != 0) i = (i + 1) & mask;
      table[i] = n + 1;
    }
  }

  /** The parser interns attribute names, so a name is usually the very String it was added as. */
  private static boolean same(String a, String b) {
    return a == b || a.equals(b);
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }
}
