package dev.ddbwarehouse.core.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbwarehouse.core.ErrorCode;
import dev.ddbwarehouse.core.PoisonRecordException;
import dev.ddbwarehouse.core.item.DynamoValue;
import dev.ddbwarehouse.core.item.DynamoValue.N;
import dev.ddbwarehouse.core.item.DynamoValue.S;
import dev.ddbwarehouse.core.item.Item;
import dev.ddbwarehouse.core.policy.MappingDocument;
import dev.ddbwarehouse.core.pseudonym.KeyRing;
import dev.ddbwarehouse.core.pseudonym.Pseudonymiser;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RowMapperTest {

  private static final KeyRing KEYS =
      KeyRing.parse(
          "{\"active\":\"v1\",\"keys\":{\"v1\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\"}}",
          "test");

  private static final TableSpec TRANSACTIONS =
      MappingDocument.defaults().table("transactions").orElseThrow();

  private final RowMapper mapper = new RowMapper(TRANSACTIONS, new Pseudonymiser(KEYS));

  /** The text the row holds for {@code column}. */
  private static String text(TableRow row, String column) {
    return row.value(row.table().columnNames().indexOf(column));
  }

  private static Map<String, DynamoValue> item() {
    Map<String, DynamoValue> m = new HashMap<>();
    m.put("transactionId", new S("t-1"));
    m.put("userId", new S("user-123"));
    m.put("amount", new N(new BigDecimal("-1250.75")));
    m.put("currency", new S("EUR"));
    m.put("createdAt", new S("2026-01-01T10:00:00+02:00"));
    return m;
  }

  private TableRow map(Map<String, DynamoValue> m) {
    return mapper.map(new Item(m)).row();
  }

  @Test
  void mapsTheMinimalItem() {
    TableRow row = map(item());

    assertThat(row.key()).isEqualTo(RowKey.of("t-1"));
    assertThat(text(row, "transaction_id")).isEqualTo("t-1");
    assertThat(text(row, "user_pseudonym"))
        .isEqualTo("e5455e6644aea9e61cf6be8cb0da6365a955423a8433c56d56987cdde263b9e7");
    assertThat(text(row, "amount")).isEqualTo("-1250.75");
    assertThat(text(row, "created_at")).isEqualTo("2026-01-01T08:00:00Z");
    assertThat(row.version())
        .as("createdAt is the version without updatedAt")
        .isEqualTo(Instant.parse("2026-01-01T08:00:00Z"));
    assertThat(row.versionAttribute()).isEqualTo("createdAt");
    assertThat(text(row, "account_pseudonym")).isNull();
  }

  @Test
  void withoutRotationTheSuppressionTokensAreThePseudonymsThemselves() {
    TableRow row = map(item());
    assertThat(row.tokens()).as("no second HMAC, no second array").isSameAs(row.values());
  }

  @Test
  void afterARotationEachPseudonymColumnCarriesItsTokenUnderTheSuppressionVersion() {
    KeyRing rotated =
        KeyRing.parse(
            "{\"active\":\"v2\",\"keys\":{\"v1\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\","
                + "\"v2\":\"ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=\"}}",
            "test");
    TableRow row =
        new RowMapper(TRANSACTIONS, new Pseudonymiser(rotated)).map(new Item(item())).row();
    int user = TRANSACTIONS.columnNames().indexOf("user_pseudonym");

    assertThat(row.keyVersion()).isEqualTo("v2");
    assertThat(row.token(user))
        .isEqualTo("e5455e6644aea9e61cf6be8cb0da6365a955423a8433c56d56987cdde263b9e7");
    assertThat(row.value(user)).isEqualTo(new Pseudonymiser(rotated).pseudonym("user", "user-123"));
    assertThat(row.token(TRANSACTIONS.columnNames().indexOf("amount"))).isNull();

    TableRow anonymised = row.anonymised();
    assertThat(anonymised.value(user)).isNull();
    assertThat(anonymised.keyVersion()).isNull();
    assertThat(anonymised.value(TRANSACTIONS.columnNames().indexOf("amount")))
        .isEqualTo("-1250.75");
    assertThat(anonymised.value(TRANSACTIONS.columnNames().indexOf("transaction_id")))
        .isEqualTo("t-1");
  }

  @Test
  void updatedAtIsTheVersionAndEpochMillisAreAccepted() {
    Map<String, DynamoValue> m = item();
    m.put("updatedAt", new N(new BigDecimal("1767261600000")));

    assertThat(map(m).version()).isEqualTo(Instant.ofEpochMilli(1767261600000L));
  }

  @Test
  void epochSecondsAreReadAsSecondsWhereTheMappingSaysSo() {
    RowMapper seconds =
        new RowMapper(
            MappingDocument.parse(
                    "{\"attributes\":{\"updatedAt\":{\"treatment\":\"keep\",\"column\":\"updated_at\",\"epochUnit\":\"s\"}}}",
                    "test.json")
                .tables()
                .get(0),
            new Pseudonymiser(KEYS));
    Map<String, DynamoValue> m = item();
    m.put("updatedAt", new N(new BigDecimal("1767261600.123456")));

    assertThat(seconds.map(new Item(m)).row().version())
        .isEqualTo(Instant.parse("2026-01-01T10:00:00.123456Z"));
    assertThatThrownBy(() -> map(m))
        .as("milliseconds by default, as before: a fraction of a millisecond is refused")
        .isInstanceOf(PoisonRecordException.class);
  }

  @Test
  void unknownAndDroppedAttributesAreNamedNeverStored() {
    Map<String, DynamoValue> m = item();
    m.put("counterpartyName", new S("Erika"));
    m.put("nickname", new S("Riki"));
    m.put("metadata", new DynamoValue.M(Map.of("k", new S("v"))));

    RowMapper.Mapped mapped = mapper.map(new Item(m));

    assertThat(mapped.droppedAttributes())
        .containsExactly("counterpartyName", "metadata", "nickname");
    assertThat(mapped.row().toString()).doesNotContain("Erika", "Riki");
  }

  @Test
  void emptyIdentifiersGetNoPseudonymRatherThanOneSharedByAll() {
    Map<String, DynamoValue> m = item();
    m.put("email", new S("   "));
    m.put("phone", DynamoValue.Null.INSTANCE);

    TableRow row = map(m);

    assertThat(text(row, "email_pseudonym")).isNull();
    assertThat(text(row, "phone_pseudonym")).isNull();
  }

  @ParameterizedTest
  @CsvSource({
    "203.0.113.77,        203.0.113.0/24",
    "::ffff:192.0.2.1,     192.0.2.0/24",
    "2001:db8:abcd:12::1,  2001:db8:abcd::/48",
    "fe80::1%eth0,         fe80:0:0::/48",
  })
  void generalisesIpAddressesToTheirNetwork(String ip, String network) {
    Map<String, DynamoValue> m = item();
    m.put("ipAddress", new S(ip));

    assertThat(text(map(m), "ip_network")).isEqualTo(network);
  }

  @ParameterizedTest
  @CsvSource({
    "amount,    N, 0.000000001,                      AMOUNT_NOT_EXACT",
    "amount,    N, 1234567890123456789012345678901,  AMOUNT_NOT_EXACT",
    "amount,    S, 12.5,                             WRONG_TYPE",
    "currency,  S, eur,                              INVALID_CURRENCY",
    "currency,  S, XYZ,                              INVALID_CURRENCY",
    "country,   S, Germany,                          INVALID_COUNTRY",
    "createdAt, S, 2026-01-01T10:00:00,              INVALID_TIMESTAMP",
    "createdAt, N, 1.5,                              INVALID_TIMESTAMP",
    "updatedAt, S, yesterday,                        INVALID_TIMESTAMP",
    "ipAddress, S, example.com,                      INVALID_IP_ADDRESS",
    "ipAddress, S, 300.1.1.1,                        INVALID_IP_ADDRESS",
    "merchantCategoryCode, S, 58,                    INVALID_VALUE",
    "userId,    N, 42,                               WRONG_TYPE",
  })
  void rejectsBadValuesNamingTheAttributeNotTheValue(
      String attribute, String type, String value, ErrorCode code) {
    Map<String, DynamoValue> m = item();
    m.put(attribute, type.equals("N") ? new N(new BigDecimal(value)) : new S(value));

    assertThatThrownBy(() -> map(m))
        .isInstanceOfSatisfying(
            PoisonRecordException.class,
            e -> {
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.attribute()).isEqualTo(attribute);
            })
        .hasMessageContaining(attribute)
        .hasMessageNotContaining(value);
  }

  @Test
  void requiredAttributesMustBePresent() {
    for (String required : List.of("transactionId", "userId", "amount", "currency", "createdAt")) {
      Map<String, DynamoValue> m = item();
      m.remove(required);
      assertThatThrownBy(() -> map(m))
          .as(required)
          .isInstanceOfSatisfying(
              PoisonRecordException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.MISSING_ATTRIBUTE))
          .hasMessageContaining(required);
    }
  }

  @Test
  void dropsOnlyTrailingZerosBeyondEightDecimals() {
    Map<String, DynamoValue> m = item();
    m.put("amount", new N(new BigDecimal("1.500000000000")));

    assertThat(text(map(m), "amount")).isEqualTo("1.50000000");
  }

  @Test
  void keepsAmountsExactlyAtTheLimits() {
    Map<String, DynamoValue> m = item();
    m.put("amount", new N(new BigDecimal("123456789012345678901234567890.12345678")));

    assertThat(text(map(m), "amount")).isEqualTo("123456789012345678901234567890.12345678");
  }
}
