package dev.ddbwarehouse.core.item;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttributesTest {

  @Test
  void holdsWhatAHashMapHoldsAtEverySizeInReadingOrder() {
    for (int size : new int[] {0, 1, 3, 4, 5, 31, 32, 33, 200}) {
      Attributes.Builder b = new Attributes.Builder(size == 200 ? 2 : size);
      Map<String, DynamoValue> expected = new HashMap<>();
      List<String> order = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        // new String: a name equal to, not the same object as, the one looked up later
        String name = new String("attr-" + (i * 7919 % 1000));
        DynamoValue value = new DynamoValue.S("v" + i);
        assertTrue(b.add(name, value));
        expected.put(name, value);
        order.add(name);
      }
      Attributes a = b.build();
      assertEquals(expected, a, "size " + size);
      assertEquals(a, expected);
      assertEquals(expected.hashCode(), a.hashCode());
      assertEquals(size, a.size());
      for (int i = 0; i < size; i++) {
        assertEquals(order.get(i), a.name(i));
        assertEquals(i, a.indexOf("attr-" + (i * 7919 % 1000)));
        assertEquals(expected.get(order.get(i)), a.value(i));
      }
      assertEquals(order, new ArrayList<>(a.keySet()));
      assertNull(a.get("absent"));
      assertEquals(-1, a.indexOf("absent"));
      assertEquals(-1, a.indexOf(42));
      assertFalse(a.containsKey("absent"));
    }
  }

  @Test
  void aNameGivenTwiceIsRefusedAndTheFirstValueStays() {
    Attributes.Builder b = new Attributes.Builder(4);
    DynamoValue first = new DynamoValue.S("first");
    assertTrue(b.add("id", first));
    assertFalse(b.add(new String("id"), new DynamoValue.S("second")));
    Attributes a = b.build();
    assertEquals(1, a.size());
    assertSame(first, a.get("id"));
  }

  @Test
  void isImmutableAndRefusesNulls() {
    Attributes a = Attributes.copyOf(Map.of("id", new DynamoValue.S("x")));
    assertThrows(UnsupportedOperationException.class, () -> a.put("y", DynamoValue.Null.INSTANCE));
    assertThrows(UnsupportedOperationException.class, () -> a.remove("id"));
    assertThrows(UnsupportedOperationException.class, a::clear);
    assertThrows(UnsupportedOperationException.class, () -> a.keySet().remove("id"));
    assertThrows(IndexOutOfBoundsException.class, () -> a.value(1));
    Map<String, DynamoValue> withNull = new LinkedHashMap<>();
    withNull.put("id", null);
    assertThrows(NullPointerException.class, () -> Attributes.copyOf(withNull));
    Attributes.Builder b = new Attributes.Builder(1);
    b.build();
    assertThrows(IllegalStateException.class, b::build);
  }

  @Test
  void anItemKeepsItsAttributesAndCopiesAnyOtherMap() {
    Map<String, DynamoValue> source = new HashMap<>(Map.of("id", new DynamoValue.S("x")));
    Item item = new Item(source);
    source.put("later", new DynamoValue.S("y"));
    assertEquals(1, item.attributes().size(), "the item must not see its source change");
    assertSame(item.compact(), new Item(item.attributes()).compact());
  }
}
