package dev.ddbwarehouse.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed JSON document, for the small documents read at start-up (key ring, database secret,
 * mapping document). Built on jackson-core's streaming parser alone: Jackson's databind layer costs
 * about a quarter of a second of class loading on a cold start, for no gain on documents this
 * small. Numbers stay exact; object keys keep their order; a repeated key keeps its last value.
 */
public sealed interface JsonValue {

  JsonFactory FACTORY = new JsonFactory();

  /** Parses one JSON value; anything after it is an error. */
  static JsonValue parse(String json) throws JsonProcessingException {
    try (JsonParser p = FACTORY.createParser(json)) {
      JsonToken first = p.nextToken();
      if (first == null) throw new JsonParseException(p, "no JSON value");
      JsonValue value = read(p, first);
      if (p.nextToken() != null) throw new JsonParseException(p, "more than one JSON value");
      return value;
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      throw new IllegalStateException("reading a String cannot fail", e);
    }
  }

  private static JsonValue read(JsonParser p, JsonToken token) throws IOException {
    return switch (token) {
      case START_OBJECT -> {
        Map<String, JsonValue> fields = new LinkedHashMap<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
          String name = p.currentName();
          fields.put(name, read(p, p.nextToken()));
        }
        yield new Obj(Collections.unmodifiableMap(fields));
      }
      case START_ARRAY -> {
        List<JsonValue> items = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken())
          items.add(read(p, t));
        yield new Arr(List.copyOf(items));
      }
      case VALUE_STRING -> new Str(p.getText());
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new Num(new BigDecimal(p.getText()));
      case VALUE_TRUE -> new Bool(true);
      case VALUE_FALSE -> new Bool(false);
      case VALUE_NULL -> Null.NULL;
      default -> throw new JsonParseException(p, "unexpected " + token);
    };
  }

  /** The named field of an object; null when absent or when this is not an object. */
  default JsonValue get(String name) {
    return this instanceof Obj o ? o.fields().get(name) : null;
  }

  /** A string as is, a number or boolean as written; null for null, objects and arrays. */
  default String text() {
    return switch (this) {
      case Str s -> s.value();
      case Num n -> n.value().toPlainString();
      case Bool b -> Boolean.toString(b.value());
      case Obj o -> null;
      case Arr a -> null;
      case Null n -> null;
    };
  }

  /** The text of a field, or null when absent, null, an object or an array. */
  default String text(String field) {
    JsonValue v = get(field);
    return v == null ? null : v.text();
  }

  /** An object: fields in document order. */
  record Obj(Map<String, JsonValue> fields) implements JsonValue {}

  record Arr(List<JsonValue> items) implements JsonValue {}

  record Str(String value) implements JsonValue {
    @Override
    public String toString() {
      return "Str[" + value.length() + " chars]"; // secrets pass through here: never print them
    }
  }

  record Num(BigDecimal value) implements JsonValue {}

  record Bool(boolean value) implements JsonValue {}

  enum Null implements JsonValue {
    NULL
  }
}
