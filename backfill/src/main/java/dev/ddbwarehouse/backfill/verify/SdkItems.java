package dev.ddbwarehouse.backfill.verify;

import dev.ddbwarehouse.core.item.DynamoValue;
import dev.ddbwarehouse.core.item.Item;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An SDK item as the function's core sees it, so that verify reads keys and versions with the
 * function's own code. Only the scanned attributes (key and version) are converted.
 */
final class SdkItems {

  private SdkItems() {}

  static Item of(Map<String, AttributeValue> item) {
    Map<String, DynamoValue> attributes = new LinkedHashMap<>();
    item.forEach((name, value) -> attributes.put(name, value(name, value)));
    return new Item(attributes);
  }

  static DynamoValue value(String name, AttributeValue v) {
    return switch (v.type()) {
      case S -> new DynamoValue.S(v.s());
      case N -> new DynamoValue.N(new BigDecimal(v.n()));
      case B -> new DynamoValue.B(v.b().asByteArray());
      case BOOL -> new DynamoValue.Bool(v.bool());
      case NUL -> DynamoValue.Null.INSTANCE;
      case SS -> new DynamoValue.SS(v.ss());
      case NS -> new DynamoValue.NS(v.ns().stream().map(BigDecimal::new).toList());
      case BS -> new DynamoValue.BS(v.bs().stream().map(b -> b.asByteArray()).toList());
      case L -> new DynamoValue.L(v.l().stream().map(e -> value(name, e)).toList());
      case M -> {
        Map<String, DynamoValue> m = new LinkedHashMap<>();
        v.m().forEach((k, e) -> m.put(k, value(name, e)));
        yield new DynamoValue.M(m);
      }
      case UNKNOWN_TO_SDK_VERSION ->
          throw new IllegalArgumentException(
              "attribute " + name + " has a type this SDK does not know");
    };
  }
}
