package dev.ddbwarehouse.core.policy;

import dev.ddbwarehouse.core.item.DynamoValue;
import dev.ddbwarehouse.core.value.ValueReaders;
import java.util.Arrays;
import java.util.Optional;

/**
 * What a kept attribute must be, checked on every image ({@code "type"} of a {@code keep} rule). A
 * value of another shape is quarantined with a code naming the problem, never stored as it came.
 */
public enum ValueType {
  STRING("string", Output.TEXT),
  /** Any DynamoDB number, exact. */
  NUMBER("number", Output.NUMBER),
  INTEGER("integer", Output.INTEGER),
  /** Exact, at most 30 integer digits and 8 decimals: never rounded. */
  AMOUNT("amount", Output.NUMBER),
  BOOLEAN("boolean", Output.BOOLEAN),
  /** ISO-8601 with an offset, or an epoch number in the rule's epochUnit. */
  TIMESTAMP("timestamp", Output.TIMESTAMP),
  /** ISO-8601 calendar date, yyyy-MM-dd. */
  DATE("date", Output.DATE),
  STRING_SET("string-set", Output.TEXT_ARRAY),
  CURRENCY("currency", Output.TEXT),
  COUNTRY("country", Output.TEXT),
  MCC("mcc", Output.TEXT);

  private final String documentName;
  private final Output output;

  ValueType(String documentName, Output output) {
    this.documentName = documentName;
    this.output = output;
  }

  public String documentName() {
    return documentName;
  }

  public Output output() {
    return output;
  }

  /** The typed value (String, BigDecimal, BigInteger, Boolean, Instant, LocalDate, List). */
  public Object read(String attribute, DynamoValue value, EpochUnit unit) {
    return switch (this) {
      case STRING -> ValueReaders.string(attribute, value);
      case NUMBER -> ValueReaders.number(attribute, value);
      case INTEGER -> ValueReaders.integer(attribute, value);
      case AMOUNT -> ValueReaders.amount(attribute, value);
      case BOOLEAN -> ValueReaders.bool(attribute, value);
      case TIMESTAMP -> ValueReaders.timestamp(attribute, value, unit);
      case DATE -> ValueReaders.date(attribute, value);
      case STRING_SET -> ValueReaders.stringSet(attribute, value);
      case CURRENCY -> ValueReaders.currency(attribute, value);
      case COUNTRY -> ValueReaders.country(attribute, value);
      case MCC -> ValueReaders.merchantCategoryCode(attribute, value);
    };
  }

  public static Optional<ValueType> byDocumentName(String name) {
    return Arrays.stream(values()).filter(t -> t.documentName.equals(name)).findFirst();
  }

  static String names() {
    return String.join(", ", Arrays.stream(values()).map(t -> t.documentName).toList());
  }
}
