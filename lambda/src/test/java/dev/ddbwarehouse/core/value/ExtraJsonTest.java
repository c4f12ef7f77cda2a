package dev.ddbwarehouse.core.value;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.core.item.DynamoValue;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExtraJsonTest {

  @Test
  void writesEveryAttributeTypeWithExactNumbersSortedSetsAndBase64Binaries() {
    Map<String, DynamoValue> extras = new LinkedHashMap<>();
    extras.put("channel", new DynamoValue.S("app \"v2\""));
    extras.put("fee", new DynamoValue.N(new BigDecimal("0.10")));
    extras.put("blob", new DynamoValue.B("hi".getBytes(StandardCharsets.UTF_8)));
    extras.put("flag", new DynamoValue.Bool(true));
    extras.put("none", DynamoValue.Null.INSTANCE);
    extras.put(
        "m",
        new DynamoValue.M(
            Map.of("z", new DynamoValue.S("last"), "a", new DynamoValue.N(BigDecimal.ONE))));
    extras.put("l", new DynamoValue.L(List.of(new DynamoValue.S("x"), DynamoValue.Null.INSTANCE)));
    extras.put("ss", new DynamoValue.SS(List.of("b", "a")));
    extras.put("ns", new DynamoValue.NS(List.of(new BigDecimal("10"), new BigDecimal("2.5"))));
    extras.put("bs", new DynamoValue.BS(List.of(new byte[] {1}, new byte[] {2})));

    assertThat(ExtraJson.write(extras))
        .isEqualTo(
            "{\"channel\":\"app \\\"v2\\\"\",\"fee\":0.10,\"blob\":\"aGk=\",\"flag\":true,\"none\":null,"
                + "\"m\":{\"a\":1,\"z\":\"last\"},\"l\":[\"x\",null],\"ss\":[\"a\",\"b\"],\"ns\":[2.5,10],"
                + "\"bs\":[\"AQ==\",\"Ag==\"]}");
  }
}
