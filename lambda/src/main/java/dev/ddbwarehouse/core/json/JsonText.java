package dev.ddbwarehouse.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * Writes maps, collections, strings, numbers, booleans and nulls as compact JSON with
 * jackson-core's generator (see {@link JsonValue} for why not databind). Numbers keep their exact
 * form; anything else is written as its {@code toString()}.
 */
public final class JsonText {

  private JsonText() {}

  public static String write(Object value) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = JsonValue.FACTORY.createGenerator(out)) {
      write(g, value);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a StringWriter cannot fail", e);
    }
    return out.toString();
  }

  private static void write(JsonGenerator g, Object value) throws IOException {
    switch (value) {
      case null -> g.writeNull();
      case Map<?, ?> map -> {
        g.writeStartObject();
        for (Map.Entry<?, ?> e : map.entrySet()) {
          g.writeFieldName(String.valueOf(e.getKey()));
          write(g, e.getValue());
        }
        g.writeEndObject();
      }
      case Collection<?> items -> {
        g.writeStartArray();
        for (Object item : items) write(g, item);
        g.writeEndArray();
      }
      case CharSequence s -> g.writeString(s.toString());
      case Boolean b -> g.writeBoolean(b);
      case BigDecimal d -> g.writeNumber(d);
      case BigInteger i -> g.writeNumber(i);
      case Double d -> g.writeNumber(d);
      case Float f -> g.writeNumber(f);
      case Number n -> g.writeNumber(n.longValue());
      case JsonValue.Str s -> g.writeString(s.value());
      case JsonValue.Num n -> g.writeNumber(n.value());
      case JsonValue.Bool b -> g.writeBoolean(b.value());
      case JsonValue.Null n -> g.writeNull();
      case JsonValue.Obj o -> write(g, o.fields());
      case JsonValue.Arr a -> write(g, a.items());
      default -> g.writeString(value.toString());
    }
  }
}
