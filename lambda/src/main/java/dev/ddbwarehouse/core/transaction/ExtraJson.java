package dev.ddbwarehouse.core.transaction;

import dev.ddbwarehouse.core.item.AttributeValue;
import dev.ddbwarehouse.core.json.JsonText;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Allow-listed extra attributes as JSON: numbers stay exact, binaries become base64. */
final class ExtraJson {

  private ExtraJson() {}

  static String write(Map<String, AttributeValue> attributes) {
    Map<String, Object> root = new LinkedHashMap<>();
    attributes.forEach((k, v) -> root.put(k, value(v)));
    return JsonText.write(root);
  }

  /** The attribute as plain Java values {@link JsonText} writes; sets sorted, map keys sorted. */
  private static Object value(AttributeValue value) {
    return switch (value) {
      case AttributeValue.S s -> s.value();
      case AttributeValue.N n -> n.value();
      case AttributeValue.B b -> Base64.getEncoder().encodeToString(b.value());
      case AttributeValue.Bool b -> b.value();
      case AttributeValue.Null ignored -> null;
      case AttributeValue.M m -> {
        Map<String, Object> o = new LinkedHashMap<>();
        new TreeMap<>(m.value()).forEach((k, v) -> o.put(k, value(v)));
        yield o;
      }
      case AttributeValue.L l -> {
        List<Object> a = new ArrayList<>();
        l.value().forEach(v -> a.add(value(v)));
        yield a;
      }
      case AttributeValue.SS ss -> ss.value().stream().sorted().toList();
      case AttributeValue.NS ns -> ns.value().stream().sorted().toList();
      case AttributeValue.BS bs ->
          bs.value().stream().map(b -> Base64.getEncoder().encodeToString(b)).toList();
    };
  }
}
