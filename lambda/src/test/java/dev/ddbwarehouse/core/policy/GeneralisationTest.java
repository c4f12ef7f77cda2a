package dev.ddbwarehouse.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.core.item.DynamoValue;
import dev.ddbwarehouse.core.item.DynamoValue.N;
import dev.ddbwarehouse.core.item.DynamoValue.S;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GeneralisationTest {

  private static Object apply(Generalisation g, DynamoValue v) {
    return g.apply("attr", v, EpochUnit.MILLISECONDS);
  }

  @ParameterizedTest
  @CsvSource({
    "DAY,     2024-05-17T23:30:00-05:00, 2024-05-18T00:00:00Z",
    "MONTH,   2024-05-17T10:00:00Z,      2024-05-01T00:00:00Z",
    "QUARTER, 2024-05-17T10:00:00Z,      2024-04-01T00:00:00Z",
    "QUARTER, 2024-12-31T23:59:59Z,      2024-10-01T00:00:00Z",
    "YEAR,    1990-05-17,                1990-01-01T00:00:00Z",
  })
  void truncatesToTheFirstInstantOfTheUnitInUtc(
      Generalisation.CalendarUnit unit, String value, String expected) {
    assertThat(apply(new Generalisation.Truncate(unit), new S(value)))
        .isEqualTo(Instant.parse(expected));
  }

  @Test
  void truncatesEpochMillisecondsToo() {
    assertThat(
            apply(
                new Generalisation.Truncate(Generalisation.CalendarUnit.MONTH),
                new N(new BigDecimal("1715940000000"))))
        .isEqualTo(Instant.parse("2024-05-01T00:00:00Z"));
  }

  @ParameterizedTest
  @CsvSource({
    "5,  false, 1987,  1985",
    "5,  false, 1985,  1985",
    "10, false, 42.9,  40",
    "10, false, -3,    -10",
    "5,  true,  1987-03-14, 1985",
    "10, true,  1999-12-31T23:00:00Z, 1990",
  })
  void bucketsToTheLowerBoundOfTheBand(int width, boolean ofYear, String value, long band) {
    DynamoValue v = ofYear ? new S(value) : new N(new BigDecimal(value));
    assertThat(apply(new Generalisation.Bucket(width, ofYear), v))
        .isEqualTo(BigInteger.valueOf(band));
  }

  @Test
  void keepsOnlyListedValuesAndMapsTheRestToOtherOrNull() {
    Generalisation.AllowList sex = new Generalisation.AllowList(Set.of("female", "male"), null);
    assertThat(apply(sex, new S("female"))).isEqualTo("female");
    assertThat(apply(sex, new S("Female"))).as("exact match").isNull();
    assertThat(apply(new Generalisation.AllowList(Set.of("a"), "other"), new S("b")))
        .isEqualTo("other");
  }

  @Test
  void refusesBadDeclarationsNamingTheEntry() {
    String table = "{\"tables\": {\"user_profiles\": {\"attributes\": {\"birthDate\": %s}}}}";
    MappingDocumentTest.assertInvalid(
        table.formatted("{\"treatment\": \"bucket\", \"column\": \"birth_year_band\"}"),
        "tables.user_profiles: attributes.birthDate: treatment \"bucket\" needs \"width\"");
    MappingDocumentTest.assertInvalid(
        table.formatted(
            "{\"treatment\": \"bucket\", \"column\": \"birth_year_band\", \"width\": 0}"),
        "needs \"width\", a whole number from 1");
    MappingDocumentTest.assertInvalid(
        table.formatted(
            "{\"treatment\": \"bucket\", \"column\": \"birth_year_band\", \"width\": 5, \"of\": \"decade\"}"),
        "unknown \"of\" \"decade\" (number, year)");
    MappingDocumentTest.assertInvalid(
        table.formatted("{\"treatment\": \"truncate\", \"column\": \"signup_month\"}"),
        "treatment \"truncate\" needs \"unit\" (day, month, quarter, year)");
    MappingDocumentTest.assertInvalid(
        table.formatted(
            "{\"treatment\": \"truncate\", \"column\": \"signup_month\", \"unit\": \"week\"}"),
        "unknown unit \"week\"");
    MappingDocumentTest.assertInvalid(
        table.formatted("{\"treatment\": \"allow-list\", \"column\": \"sex\", \"values\": []}"),
        "treatment \"allow-list\" needs \"values\", a non-empty array of strings");
    MappingDocumentTest.assertInvalid(
        table.formatted(
            "{\"treatment\": \"allow-list\", \"column\": \"sex\", \"values\": [\"f\"], \"unit\": \"day\"}"),
        "treatment \"allow-list\" takes no \"unit\"");
  }
}
