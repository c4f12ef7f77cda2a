package dev.ddbwarehouse.core.transaction;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarehouse.core.item.AttributeValue;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/** Allow-listed extra attributes as JSON: numbers stay exact, binaries become base64. */
final class ExtraJson {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private ExtraJson() {}

  static String write(Map<String, AttributeValue> attributes) {
    ObjectNode root = NODES.objectNode();
    attributes.forEach((k, v) -> root.set(k, node(v)));
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise extra attributes", e);
    }
  }

  private static JsonNode node(AttributeValue value) {
    return switch (value) {
      case AttributeValue.S s -> NODES.textNode(s.value());
      case AttributeValue.N n -> NODES.numberNode(n.value());
      case AttributeValue.B b -> NODES.textNode(Base64.getEncoder().encodeToString(b.value()));
      case AttributeValue.Bool b -> NODES.booleanNode(b.value());
      case AttributeValue.Null ignored -> NODES.nullNode();
      case AttributeValue.M m -> {
        ObjectNode o = NODES.objectNode();
        new TreeMap<>(m.value()).forEach((k, v) -> o.set(k, node(v)));
        yield o;
      }
      case AttributeValue.L l -> {
        ArrayNode a = NODES.arrayNode();
        l.value().forEach(v -> a.add(node(v)));
        yield a;
      }
      case AttributeValue.SS ss -> {
        ArrayNode a = NODES.arrayNode();
        ss.value().stream().sorted().forEach(a::add);
        yield a;
      }
      case AttributeValue.NS ns -> {
        ArrayNode a = NODES.arrayNode();
        ns.value().stream().sorted().forEach(a::add);
        yield a;
      }
      case AttributeValue.BS bs -> {
        ArrayNode a = NODES.arrayNode();
        bs.value().forEach(b -> a.add(Base64.getEncoder().encodeToString(b)));
        yield a;
      }
    };
  }
}
