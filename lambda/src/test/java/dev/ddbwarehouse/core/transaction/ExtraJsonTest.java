package dev.ddbwarehouse.core.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.core.item.AttributeValue;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExtraJsonTest {

  @Test
  void writesEveryAttributeTypeWithExactNumbersSortedSetsAndBase64Binaries() {
    Map<String, AttributeValue> extras = new LinkedHashMap<>();
    extras.put("channel", new AttributeValue.S("app \"v2\""));
    extras.put("fee", new AttributeValue.N(new BigDecimal("0.10")));
    extras.put("blob", new AttributeValue.B("hi".getBytes(StandardCharsets.UTF_8)));
    extras.put("flag", new AttributeValue.Bool(true));
    extras.put("none", AttributeValue.Null.INSTANCE);
    extras.put(
        "m",
        new AttributeValue.M(
            Map.of("z", new AttributeValue.S("last"), "a", new AttributeValue.N(BigDecimal.ONE))));
    extras.put(
        "l",
        new AttributeValue.L(List.of(new AttributeValue.S("x"), AttributeValue.Null.INSTANCE)));
    extras.put("ss", new AttributeValue.SS(List.of("b", "a")));
    extras.put("ns", new AttributeValue.NS(List.of(new BigDecimal("10"), new BigDecimal("2.5"))));
    extras.put("bs", new AttributeValue.BS(List.of(new byte[] {1}, new byte[] {2})));

    assertThat(ExtraJson.write(extras))
        .isEqualTo(
            "{\"channel\":\"app \\\"v2\\\"\",\"fee\":0.10,\"blob\":\"aGk=\",\"flag\":true,\"none\":null,"
                + "\"m\":{\"a\":1,\"z\":\"last\"},\"l\":[\"x\",null],\"ss\":[\"a\",\"b\"],\"ns\":[2.5,10],"
                + "\"bs\":[\"AQ==\",\"Ag==\"]}");
  }
}
