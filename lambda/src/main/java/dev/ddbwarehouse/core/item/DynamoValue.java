package dev.ddbwarehouse.core.item;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A typed DynamoDB attribute value, free of any AWS type.
 *
 * <p>{@code toString()} never shows a value: items hold personal data, and a value printed by a
 * debugger, a log line or an assertion message would leak it. Only the type and size show.
 */
public sealed interface DynamoValue {

  /** The DynamoDB type descriptor: S, N, B, BOOL, NULL, M, L, SS, NS or BS. */
  String type();

  record S(String value) implements DynamoValue {
    public S {
      if (value == null) throw new IllegalArgumentException("S value is null");
    }

    @Override
    public String type() {
      return "S";
    }

    @Override
    public String toString() {
      return "S(" + value.length() + " chars)";
    }
  }

  /** A number, exact: DynamoDB numbers have up to 38 significant digits, so never a double. */
  record N(BigDecimal value) implements DynamoValue {
    public N {
      if (value == null) throw new IllegalArgumentException("N value is null");
    }

    @Override
    public String type() {
      return "N";
    }

    @Override
    public String toString() {
      return "N(...)";
    }
  }

  record B(byte[] value) implements DynamoValue {
    public B {
      value = value.clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }

    @Override
    public String type() {
      return "B";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof B other && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "B(" + value.length + " bytes)";
    }
  }

  record Bool(boolean value) implements DynamoValue {
    @Override
    public String type() {
      return "BOOL";
    }

    @Override
    public String toString() {
      return "BOOL(...)";
    }
  }

  record Null() implements DynamoValue {
    public static final Null INSTANCE = new Null();

    @Override
    public String type() {
      return "NULL";
    }
  }

  /** A map's keys can be data: it holds them as an item holds its names ({@link Attributes}). */
  record M(Map<String, DynamoValue> value) implements DynamoValue {
    public M {
      value = Attributes.copyOf(value);
    }

    @Override
    public String type() {
      return "M";
    }

    @Override
    public String toString() {
      return "M(" + value.size() + " entries)";
    }
  }

  record L(List<DynamoValue> value) implements DynamoValue {
    public L {
      value = List.copyOf(value);
    }

    @Override
    public String type() {
      return "L";
    }

    @Override
    public String toString() {
      return "L(" + value.size() + " elements)";
    }
  }

  record SS(List<String> value) implements DynamoValue {
    public SS {
      value = List.copyOf(value);
    }

    @Override
    public String type() {
      return "SS";
    }

    @Override
    public String toString() {
      return "SS(" + value.size() + " members)";
    }
  }

  record NS(List<BigDecimal> value) implements DynamoValue {
    public NS {
      value = List.copyOf(value);
    }

    @Override
    public String type() {
      return "NS";
    }

    @Override
    public String toString() {
      return "NS(" + value.size() + " members)";
    }
  }

  record BS(List<byte[]> value) implements DynamoValue {
    public BS {
      value = value.stream().map(byte[]::clone).toList();
    }

    @Override
    public List<byte[]> value() {
      return value.stream().map(byte[]::clone).toList();
    }

    @Override
    public String type() {
      return "BS";
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof BS other) || other.value.size() != value.size()) return false;
      for (int i = 0; i < value.size(); i++) {
        if (!Arrays.equals(value.get(i), other.value.get(i))) return false;
      }
      return true;
    }

    @Override
    public int hashCode() {
      return value.stream().mapToInt(Arrays::hashCode).reduce(17, (a, b) -> 31 * a + b);
    }

    @Override
    public String toString() {
      return "BS(" + value.size() + " members)";
    }
  }
}
