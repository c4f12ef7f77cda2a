package dev.ddbwarehouse.lambda;

import static dev.ddbwarehouse.core.ErrorCode.AMOUNT_NOT_EXACT;
import static dev.ddbwarehouse.core.ErrorCode.INVALID_COUNTRY;
import static dev.ddbwarehouse.core.ErrorCode.INVALID_CURRENCY;
import static dev.ddbwarehouse.core.ErrorCode.INVALID_IP_ADDRESS;
import static dev.ddbwarehouse.core.ErrorCode.INVALID_NUMBER;
import static dev.ddbwarehouse.core.ErrorCode.INVALID_TIMESTAMP;
import static dev.ddbwarehouse.core.ErrorCode.INVALID_VALUE;
import static dev.ddbwarehouse.core.ErrorCode.MISSING_ATTRIBUTE;
import static dev.ddbwarehouse.core.ErrorCode.MISSING_NEW_IMAGE;
import static dev.ddbwarehouse.core.ErrorCode.UNPARSABLE_IMAGE;
import static dev.ddbwarehouse.core.ErrorCode.WRONG_TYPE;
import static dev.ddbwarehouse.lambda.HostileCases.list;
import static dev.ddbwarehouse.lambda.HostileCases.quarantined;
import static dev.ddbwarehouse.lambda.HostileCases.written;

import dev.ddbwarehouse.testing.HostileValues;
import dev.ddbwarehouse.testing.StreamEvents;
import dev.ddbwarehouse.testing.TransactionItem;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hostile item images: every attribute type where the policy drops it, valid edge values where it
 * keeps them, and each mapped attribute missing, mistyped or holding an invalid value.
 */
final class HostileValueCases {

  /** Each mapped attribute and the DynamoDB types it may have. */
  private static final Map<String, Set<String>> MAPPED = new LinkedHashMap<>();

  static {
    for (String s :
        List.of(
            "transactionId",
            "userId",
            "accountId",
            "counterpartyIban",
            "email",
            "phone",
            "ipAddress",
            "currency",
            "type",
            "status",
            "merchantName",
            "merchantCategoryCode",
            "country")) {
      MAPPED.put(s, Set.of("S"));
    }
    MAPPED.put("amount", Set.of("N"));
    MAPPED.put("tags", Set.of("SS"));
    MAPPED.put("createdAt", Set.of("S", "N"));
    MAPPED.put("updatedAt", Set.of("S", "N"));
  }

  private HostileValueCases() {}

  static void addAll(HostileCases h) {
    everyTypeWhereDropped(h);
    validEdgeValues(h);
    wrongTypes(h);
    missingRequired(h);
    invalidValues(h);
    unparsable(h);
  }

  private static void everyTypeWhereDropped(HostileCases h) {
    HostileValues v = h.values;
    for (int round = 0; round < 2; round++) {
      for (String type : HostileValues.TYPES) {
        h.insert("unmapped " + type, written(), i -> i.put("x" + type, v.value(type, 3)));
      }
    }
    for (int n = 0; n < 10; n++) {
      h.insert(
          "random unmapped attributes",
          written(),
          i -> i.put("r1", v.any(4)).put("r2", v.any(4)).put("notes" + v.text(2), v.any(2)));
    }
    Map<String, Object> everyType = new LinkedHashMap<>();
    HostileValues.TYPES.forEach(t -> everyType.put(t, v.value(t, 2)));
    h.insert(
        "every type nested in metadata", written(), i -> i.put("metadata", Map.of("M", everyType)));
    h.insert(
        "list of maps of lists",
        written(),
        i ->
            i.put(
                "deep",
                Map.of("L", List.of(Map.of("M", Map.of("a", Map.of("L", List.of(v.any(3)))))))));
    for (String type : List.of("SS", "NS", "BS", "L", "M")) {
      Object empty = type.equals("M") ? Map.of() : List.of();
      h.insert("empty " + type, written(), i -> i.put("empty" + type, Map.of(type, empty)));
    }
    h.insert(
        "NUL in a dropped string",
        written(),
        i -> i.s("counterpartyName", v.canary("n") + "\u0000"));
    h.insert(
        "lone surrogate in a dropped string",
        written(),
        i -> i.s("counterpartyName", v.canary("n") + "\ud800"));
    h.insert("empty binary", written(), i -> i.put("blob", Map.of("B", "")));
    for (String n :
        List.of(
            "9.9999999999999999999999999999999999999E+125",
            "1E-130",
            "-1E-130",
            "-9.9999999999999999999999999999999999999E+125",
            "-0",
            "0E+10",
            "+7",
            " 42 ",
            "1e5",
            "12345678901234567890123456789012345678")) {
      h.insert("number " + n.strip() + " dropped", written(), i -> i.n("score", n));
    }
  }

  private static void validEdgeValues(HostileCases h) {
    HostileValues v = h.values;
    for (int n = 0; n < 3; n++) {
      String name = "Café " + v.text(6) + " \uD83C\uDF55";
      h.insert(
          "unicode merchant name",
          written(Map.of("merchant_name", name)),
          i -> i.s("merchantName", name));
    }
    for (String id :
        List.of(
            "hc-€-\uD83D\uDE00",
            "hc-caf\u00e9",
            "hc-cafe\u0301",
            "HC-CAF\u00c9",
            "hc-" + v.text(8))) {
      TransactionItem item = h.item(id);
      h.corpus.add("unicode id " + HostileCases.printable(id), id, written(), e -> e.insert(item));
    }
    Map<String, String> amounts = new LinkedHashMap<>();
    amounts.put("1E+3", "1000");
    amounts.put("-5.5", "-5.5");
    amounts.put("1.10000000000", "1.10000000");
    amounts.put("0.00000001", "0.00000001");
    amounts.put("-999999999999999999999999999999", "-999999999999999999999999999999");
    amounts.put("1e29", "100000000000000000000000000000");
    amounts.put("-0.0", "0.0");
    amounts.put(" 7.25 ", "7.25");
    amounts.forEach(
        (raw, stored) ->
            h.insert(
                "amount " + raw.strip(),
                written(Map.of("amount", stored)),
                i -> i.n("amount", raw)));
    String ip = h.values.ipv4();
    h.unmarkedCanaries.add(ip);
    h.insert(
        "ipv4 generalised",
        written(Map.of("ip_network", ip.substring(0, ip.lastIndexOf('.')) + ".0/24")),
        i -> i.s("ipAddress", ip));
    h.insert(
        "ipv6 generalised",
        written(Map.of("ip_network", "2001:db8:abcd::/48")),
        i -> i.s("ipAddress", "2001:db8:abcd:12::7"));
    h.unmarkedCanaries.add("2001:db8:abcd:12::7");
    h.insert("blank ip", written(Map.of("ip_network", "null")), i -> i.s("ipAddress", " "));
    for (String optional :
        List.of("email", "ipAddress", "tags", "updatedAt", "merchantName", "status")) {
      h.insert(optional + " NULL", written(), i -> i.put(optional, Map.of("NULL", true)));
    }
    h.insert(
        "tags empty set",
        written(Map.of("tags", "{}")),
        i -> i.put("tags", Map.of("SS", List.of())));
    h.insert(
        "tags unsorted with duplicates",
        written(Map.of("tags", "{a,b,\uD83C\uDF55}")),
        i -> i.put("tags", Map.of("SS", List.of("\uD83C\uDF55", "b", "a", "b"))));
    Instant approximate = StreamEvents.approximateCreation(h.corpus.nextSequence());
    h.insert(
        "timestamps with an offset and nanoseconds",
        written(),
        i ->
            i.s(
                    "createdAt",
                    approximate.minusSeconds(60).atOffset(ZoneOffset.ofHours(2)).toString())
                .s("updatedAt", approximate.minusSeconds(2).plusNanos(123_456_789).toString()));
  }

  private static void wrongTypes(HostileCases h) {
    for (int round = 0; round < 2; round++) {
      MAPPED.forEach(
          (attribute, accepted) ->
              h.insert(
                  "wrong type for " + attribute,
                  quarantined(WRONG_TYPE, attribute),
                  i -> i.put(attribute, h.values.wrongType(accepted))));
    }
  }

  private static void missingRequired(HostileCases h) {
    for (String required : List.of("transactionId", "userId", "amount", "currency", "createdAt")) {
      h.insert(
          "without " + required,
          quarantined(MISSING_ATTRIBUTE, required),
          i -> i.without(required));
      h.insert(
          required + " NULL",
          quarantined(MISSING_ATTRIBUTE, required),
          i -> i.put(required, Map.of("NULL", true)));
    }
    h.insert("userId blank", quarantined(MISSING_ATTRIBUTE, "userId"), i -> i.s("userId", "  \t "));
    h.insert("userId empty", quarantined(MISSING_ATTRIBUTE, "userId"), i -> i.s("userId", ""));
    h.insert(
        "transactionId blank",
        quarantined(INVALID_VALUE, "transactionId"),
        i -> i.s("transactionId", "   "));
    for (String kind : List.of("INSERT", "MODIFY")) {
      String id = h.id("no-new-image");
      TransactionItem item = h.item(id);
      h.corpus.add(
          kind + " without NewImage",
          id,
          quarantined(MISSING_NEW_IMAGE, null),
          e ->
              e.add(
                  kind,
                  item.keys(),
                  null,
                  kind.equals("MODIFY") ? item.attributes() : null,
                  false));
    }
  }

  private static void invalidValues(HostileCases h) {
    HostileValues v = h.values;
    h.eachString(
        "currency", list("eur", "EURO", "E1R", "", "QQQ", v.canary("cur")), INVALID_CURRENCY);
    h.eachString("country", list("de", "DEU", "XX", "", v.canary("cty")), INVALID_COUNTRY);
    h.eachString(
        "createdAt",
        list(
            "yesterday",
            v.canary("when"),
            "2026-13-01T00:00:00Z",
            "2026-02-30T00:00:00Z",
            "2026-01-01T00:00:00",
            "2026-01-01 00:00:00Z",
            "20260101T000000Z",
            ""),
        INVALID_TIMESTAMP);
    h.eachNumber("createdAt", list("-1", "1e30"), INVALID_TIMESTAMP);
    h.eachString("updatedAt", list("2026-01-01T25:00:00Z"), INVALID_TIMESTAMP);
    h.eachNumber("updatedAt", list("-5"), INVALID_TIMESTAMP);
    h.eachString(
        "ipAddress",
        list("999.1.1.1", v.canary("ip"), "1.2.3", "1.2.3.4.5", "::g", "localhost"),
        INVALID_IP_ADDRESS);
    h.eachNumber(
        "amount", list("0.000000001", "12.123456789", "1e30", "-1e30", "1E-9"), AMOUNT_NOT_EXACT);
    h.eachNumber(
        "amount", list("abc", "NaN", "", "1e126", "0x1F", "1,5", v.canary("amt")), INVALID_NUMBER);
    h.eachNumber("counterpartyName", list("Infinity"), INVALID_NUMBER);
    h.insert(
        "NS member not a number",
        quarantined(INVALID_NUMBER, "scores"),
        i -> i.put("scores", Map.of("NS", List.of("1", v.canary("ns")))));
    h.insert(
        "nested number below range",
        quarantined(INVALID_NUMBER, "metadata"),
        i -> i.put("metadata", Map.of("M", Map.of("deep", Map.of("N", "1e-131")))));
    h.eachString(
        "merchantCategoryCode",
        list("581", "58140", "abcd", "\uff15\uff18\uff11\uff14"),
        INVALID_VALUE);
    h.eachString("status", list("SETT\u0000LED"), INVALID_VALUE);
    h.eachString("merchantName", list("Caf\ud800"), INVALID_VALUE);
    h.eachString("userId", list(v.canary("u") + "\udc00"), INVALID_VALUE);
    h.eachString("transactionId", list("hc-nul\u0000", "hc-lone-\udc01"), INVALID_VALUE);
    h.insert(
        "tags member with NUL",
        quarantined(INVALID_VALUE, "tags"),
        i -> i.put("tags", Map.of("SS", List.of("ok", "n\u0000"))));
  }

  private static void unparsable(HostileCases h) {
    HostileValues v = h.values;
    h.insert("untyped value", quarantined(UNPARSABLE_IMAGE, "blob"), i -> i.put("blob", Map.of()));
    h.insert(
        "NULL false",
        quarantined(UNPARSABLE_IMAGE, "blob"),
        i -> i.put("blob", Map.of("NULL", false)));
    h.insert(
        "unknown type tag",
        quarantined(UNPARSABLE_IMAGE, "blob"),
        i -> i.put("blob", Map.of("Q", v.canary("q"))));
    h.insert("JSON null value", quarantined(UNPARSABLE_IMAGE, "blob"), i -> i.put("blob", null));
    h.insert(
        "null member in tags",
        quarantined(UNPARSABLE_IMAGE, "tags"),
        i -> i.put("tags", Map.of("SS", Arrays.asList("a", null))));
    h.insert(
        "untyped value nested in metadata",
        quarantined(UNPARSABLE_IMAGE, "metadata"),
        i -> i.put("metadata", Map.of("M", Map.of("inner", Map.of("L", List.of(Map.of()))))));
    h.insert(
        "null list element",
        quarantined(UNPARSABLE_IMAGE, "items"),
        i -> i.put("items", Map.of("L", Arrays.asList(Map.of("S", v.canary("l")), null))));
    String id = h.id("untyped-key");
    TransactionItem item = h.item(id);
    h.corpus.add(
        "untyped key",
        id,
        quarantined(UNPARSABLE_IMAGE, "transactionId"),
        e -> e.add("INSERT", Map.of("transactionId", Map.of()), item.attributes(), null, false));
  }
}
