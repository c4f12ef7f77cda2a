package dev.ddbwarehouse.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonValueTest {

  @Test
  void parsesEveryKindOfValueKeepingNumbersExactAndKeysInOrder() throws Exception {
    JsonValue v =
        JsonValue.parse(
            "{\"b\":\"text \\\"quoted\\\" \\u00e9\",\"a\":12.500,\"big\":123456789012345678901234567890,"
                + "\"t\":true,\"f\":false,\"n\":null,\"list\":[1,{\"x\":[]}],\"o\":{}}");

    assertThat(v).isInstanceOf(JsonValue.Obj.class);
    assertThat(((JsonValue.Obj) v).fields().keySet())
        .containsExactly("b", "a", "big", "t", "f", "n", "list", "o");
    assertThat(v.text("b")).isEqualTo("text \"quoted\" é");
    assertThat(v.get("a")).isEqualTo(new JsonValue.Num(new BigDecimal("12.500")));
    assertThat(v.text("big")).isEqualTo("123456789012345678901234567890");
    assertThat(v.text("t")).isEqualTo("true");
    assertThat(v.get("f")).isEqualTo(new JsonValue.Bool(false));
    assertThat(v.get("n")).isSameAs(JsonValue.Null.NULL);
    assertThat(v.text("n")).as("null has no text").isNull();
    assertThat(v.text("o")).as("an object has no text").isNull();
    assertThat(v.text("missing")).isNull();
    assertThat(v.get("list"))
        .isEqualTo(
            new JsonValue.Arr(
                List.of(
                    new JsonValue.Num(BigDecimal.ONE),
                    new JsonValue.Obj(Map.of("x", new JsonValue.Arr(List.of()))))));
  }

  @Test
  void repeatedKeyKeepsItsLastValue() throws Exception {
    assertThat(JsonValue.parse("{\"k\":1,\"k\":2}").text("k")).isEqualTo("2");
  }

  @Test
  void rejectsInvalidEmptyAndTrailingInputWithAPosition() {
    assertThatThrownBy(() -> JsonValue.parse("{\"k\":\n  tru}"))
        .isInstanceOf(JsonProcessingException.class)
        .satisfies(
            e -> assertThat(((JsonProcessingException) e).getLocation().getLineNr()).isEqualTo(2));
    assertThatThrownBy(() -> JsonValue.parse("  ")).isInstanceOf(JsonProcessingException.class);
    assertThatThrownBy(() -> JsonValue.parse("{} {}"))
        .isInstanceOf(JsonProcessingException.class)
        .hasMessageContaining("more than one JSON value");
    assertThatThrownBy(() -> JsonValue.parse("{\"k\":1"))
        .isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void stringsNeverPrintTheirValue() throws Exception {
    JsonValue secret = JsonValue.parse("{\"password\":\"hunter2-canary\"}");
    assertThat(secret.toString()).doesNotContain("hunter2-canary");
  }

  @Test
  void writesWhatItParsesAndPlainJavaValues() throws Exception {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("s", "tab\there \"q\" \\ é \u0001");
    doc.put("i", 42);
    doc.put("l", 9_000_000_000L);
    doc.put("d", 1.5);
    doc.put("exact", new BigDecimal("0.10"));
    doc.put("b", true);
    doc.put("nothing", null);
    doc.put("list", List.of("a", 1));
    doc.put("nested", Map.of("k", List.of()));

    String json = JsonText.write(doc);

    assertThat(json)
        .isEqualTo(
            "{\"s\":\"tab\\there \\\"q\\\" \\\\ é \\u0001\",\"i\":42,\"l\":9000000000,\"d\":1.5,\"exact\":0.10,"
                + "\"b\":true,\"nothing\":null,\"list\":[\"a\",1],\"nested\":{\"k\":[]}}");
    JsonValue back = JsonValue.parse(json);
    assertThat(back.text("s")).isEqualTo(doc.get("s"));
    assertThat(JsonText.write(back)).isEqualTo(json);
  }
}
