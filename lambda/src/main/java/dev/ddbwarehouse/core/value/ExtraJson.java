package dev.ddbwarehouse.core.value;

import dev.ddbwarehouse.core.item.DynamoValue;
import dev.ddbwarehouse.core.json.JsonText;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Allow-listed extra attributes as JSON: numbers stay exact, binaries become base64. */
public final class ExtraJson {

  private ExtraJson() {}

  public static String write(Map<String, DynamoValue> attributes) {
    Map<String, Object> root = new LinkedHashMap<>();
    attributes.forEach((k, v) -> root.put(k, value(v)));
    return JsonText.write(root);
  }

  /** The attribute as plain Java values {@link JsonText} writes; sets sorted, map keys sorted. */
  private static Object value(DynamoValue value) {
    return switch (value) {
      case DynamoValue.S s -> s.value();
      case DynamoValue.N n -> n.value();
      case DynamoValue.B b -> Base64.getEncoder().encodeToString(b.value());
      case DynamoValue.Bool b -> b.value();
      case DynamoValue.Null ignored -> null;
      case DynamoValue.M m -> {
        Map<String, Object> o = new LinkedHashMap<>();
        new TreeMap<>(m.value()).forEach((k, v) -> o.put(k, value(v)));
        yield o;
      }
      case DynamoValue.L l -> {
        List<Object> a = new ArrayList<>();
        l.value().forEach(v -> a.add(value(v)));
        yield a;
      }
      case DynamoValue.SS ss -> ss.value().stream().sorted().toList();
      case DynamoValue.NS ns -> ns.value().stream().sorted().toList();
      case DynamoValue.BS bs ->
          bs.value().stream().map(b -> Base64.getEncoder().encodeToString(b)).toList();
    };
  }
}
