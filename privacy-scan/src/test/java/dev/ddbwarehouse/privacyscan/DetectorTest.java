package dev.ddbwarehouse.privacyscan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DetectorTest {

  private static final String PSEUDONYM =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  private static boolean finds(Detector detector, String text) {
    return !detector.find(text).isEmpty();
  }

  @Nested
  class Email {
    private final Detector email = new EmailDetector();

    @ParameterizedTest
    @ValueSource(
        strings = {
          "anna.schmidt7@example.com",
          "note: write to Anna.Schmidt+shop@mail.example.co.uk today",
          "{\"contact\": \"x_y-z@sub.example.de\"}",
          "{a@example.org,b}"
        })
    void findsAddresses(String text) {
      assertThat(finds(email, text)).as(text).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"user@localhost", "@example.com", "a@b", "price 3@4.5", "no at sign"})
    void ignoresWhatIsNoAddress(String text) {
      assertThat(finds(email, text)).as(text).isFalse();
    }

    @Test
    void reportsWhereNotWhat() {
      assertThat(email.find("to a@example.com and b@example.org"))
          .containsExactly(new Span(3, 16), new Span(21, 34));
    }
  }

  @Nested
  class Iban {
    private final Detector iban = new IbanDetector();

    @ParameterizedTest
    @ValueSource(
        strings = {
          "DE89370400440532013000",
          "paid to DE89 3704 0044 0532 0130 00.",
          "GB33BUKB20201555555555",
          "{\"iban\": \"gb33 bukb 2020 1555 5555 55\"}",
          "FR1420041010050500013M02606"
        })
    void findsIbansWithAValidChecksum(String text) {
      assertThat(finds(iban, text)).as(text).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "DE88370400440532013000", // check digits off by one
          "DE89370400440532013001", // account number changed
          "DE89 3704 0044 0532 0130", // too short for DE
          "DE893704004405320130001", // too long: glued to a digit
          "XX89370400440532013000", // no such country
          "GB33BUKB2020155555555"
        })
    void ignoresAnInvalidChecksumOrLength(String text) {
      assertThat(finds(iban, text)).as(text).isFalse();
    }
  }

  @Nested
  class Card {
    private final Detector card = new CardDetector();

    @ParameterizedTest
    @ValueSource(
        strings = {
          "4111111111111111",
          "card 4111 1111 1111 1111 exp 12/27",
          "5500-0000-0000-0004",
          "378282246310005", // Amex, 15 digits
          "6011111111111117",
          "ref 12 4111 1111 1111 1111",
          "card:4111111111111111",
          "4222222222222" // 13 digits
        })
    void findsNumbersPassingLuhn(String text) {
      assertThat(finds(card, text)).as(text).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "4111111111111112", // Luhn fails
          "4111 1111 1111 1113",
          "1700000000005", // epoch milliseconds pass Luhn but start with 1
          "41111111111111110000000", // a 23-digit identifier
          "411111111111", // 12 digits
          "2021-03-04 05:06:07",
          "+49 151 12345678" // a phone whose 13 digits pass Luhn
        })
    void ignoresNumbersFailingLuhnOrLength(String text) {
      assertThat(finds(card, text)).as(text).isFalse();
    }

    @Test
    void luhnOfTheStandardTestNumbers() {
      assertThat(CardDetector.luhn("79927398713")).isTrue();
      assertThat(CardDetector.luhn("79927398710")).isFalse();
    }
  }

  @Nested
  class Phone {
    private final Detector phone = new PhoneDetector();

    @ParameterizedTest
    @ValueSource(
        strings = {
          "+49 151 12345678",
          "call +4915112345678 now",
          "0151 12345678",
          "(030) 12345678",
          "+44 20 7946 0958",
          "+1 (650) 253-0000",
          "0049 30 12345678"
        })
    void findsNumbersWrittenAsPhones(String text) {
      assertThat(finds(phone, text)).as(text).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "+49 123", // too short
          "+999 1234567890", // no such country code
          "20210304", // a date without dashes: no + or trunk 0
          "2021-03-04T05:06:07Z",
          "amount 123456.78",
          "1700000000000"
        })
    void ignoresWhatIsNotWrittenAsAValidPhone(String text) {
      assertThat(finds(phone, text)).as(text).isFalse();
    }
  }

  @Nested
  class Ip {
    private final Detector ip = new IpDetector();

    @ParameterizedTest
    @ValueSource(
        strings = {
          "85.12.33.201",
          "from 198.51.100.123, port 443",
          "198.51.100.123/32",
          "2001:db8::1",
          "[2001:0db8:85a3:0000:0000:8a2e:0370:7334]:443",
          "::ffff:192.0.2.1",
          "fe80::1ff:fe23:4567:890a"
        })
    void findsHostAddresses(String text) {
      assertThat(finds(ip, text)).as(text).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "85.12.33.0/24",
          "2001:db8:1234::/48",
          "256.1.1.1",
          "1.2.3",
          "1.2.3.4.5",
          "05:06:07",
          "2021-03-04 05:06:07.12+00",
          "00:1a:2b:3c:4d:5e",
          "::",
          "std::vector"
        })
    void ignoresNetworksTimesAndNonAddresses(String text) {
      assertThat(finds(ip, text)).as(text).isFalse();
    }
  }

  @Nested
  class Pseudonyms {
    private final TextScanner scanner = TextScanner.patternsOnly();

    @Test
    void aHexPseudonymIsNoFinding() {
      assertThat(scanner.scan(PSEUDONYM)).isEmpty();
      assertThat(scanner.scan("{\"" + PSEUDONYM + "\",\"" + PSEUDONYM + "\"}")).isEmpty();
      String digits = "0151123456784111111111111111" + "0".repeat(36);
      assertThat(scanner.scan(digits)).as("a pseudonym of digits only").isEmpty();
    }

    @Test
    void uuidsAndArnsAreNoFindings() {
      assertThat(scanner.scan("01511234-5678-4111-1111-111111111111")).isEmpty();
      assertThat(
              scanner.scan(
                  "arn:aws:dynamodb:eu-central-1:015112345678:table/transactions/stream/2026-01-02T00:00:00.000"))
          .isEmpty();
    }

    @Test
    void butAnUpperCaseOrLongerHexRunIsScanned() {
      assertThat(scanner.scan(PSEUDONYM + " a@example.com")).containsExactly(Kind.EMAIL);
    }
  }

  @Nested
  class NetworkColumns {
    private final TextScanner scanner = TextScanner.patternsOnly();

    @Test
    void skipTheIpPatternButNoOther() {
      assertThat(scanner.scan("85.12.33.201", ColumnKind.NETWORK)).isEmpty();
      assertThat(scanner.scan("2001:db8::1", ColumnKind.NETWORK)).isEmpty();
      assertThat(scanner.scan("85.12.33.201", ColumnKind.TEXT)).containsExactly(Kind.IP);
      assertThat(scanner.scan("a@example.com", ColumnKind.NETWORK)).containsExactly(Kind.EMAIL);
    }

    @Test
    void aColumnNamedNetworkOrTypedInetIsANetworkColumn() {
      assertThat(LeakScanner.kind("ip_network", "S", "")).isEqualTo(ColumnKind.NETWORK);
      assertThat(LeakScanner.kind("client", "I", "")).isEqualTo(ColumnKind.NETWORK);
      assertThat(LeakScanner.kind("clients", "A", "I")).isEqualTo(ColumnKind.NETWORK);
      assertThat(LeakScanner.kind("note", "S", "")).isEqualTo(ColumnKind.TEXT);
      assertThat(LeakScanner.kind("created_at", "D", "")).isEqualTo(ColumnKind.TEMPORAL);
    }
  }

  @Nested
  class Combined {
    private final TextScanner scanner = TextScanner.patternsOnly();

    @Test
    void eachFindingIsCountedOnceUnderItsKind() {
      assertThat(scanner.scan("DE89370400440532013000")).containsExactly(Kind.IBAN);
      assertThat(scanner.scan("4111 1111 1111 1111")).containsExactly(Kind.CARD);
      assertThat(
              scanner.scan(
                  "{\"m\": \"a@example.com\", \"p\": \"+49 151 12345678\", \"ip\": \"10.1.2.3\"}"))
          .containsExactlyInAnyOrder(Kind.EMAIL, Kind.PHONE, Kind.IP);
    }

    @Test
    void temporalColumnsAreSearchedForKnownValuesOnly() {
      TextScanner withBirthDate = new TextScanner(KnownValues.of(List.of("1987-03-14")));
      assertThat(withBirthDate.scan("1987-03-14", ColumnKind.TEMPORAL))
          .containsExactly(Kind.KNOWN_VALUE);
      assertThat(withBirthDate.scan("2021-03-04 05:06:07+00", ColumnKind.TEMPORAL)).isEmpty();
    }

    @Test
    void whatThePipelineWritesIsClean() {
      for (String text :
          List.of(
              "198.51.100.0/24",
              "2001:db8:1234::/48",
              "2026-01-02 00:00:00+00",
              "{\"channel\": \"web\", \"amount\": 12345.67, \"at\": \"2026-01-02T00:00:00Z\"}",
              "{groceries,online}",
              "000000000000000000059",
              "49612345678901234567890123",
              "attribute amount: not a number (PARSE_ERROR)",
              "c-1",
              "v1")) {
        assertThat(scanner.scan(text)).as(text).isEmpty();
      }
    }
  }
}
