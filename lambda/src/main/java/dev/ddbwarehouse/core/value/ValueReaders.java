package dev.ddbwarehouse.core.value;

import static dev.ddbwarehouse.core.ErrorCode.AMOUNT_NOT_EXACT;
import static dev.ddbwarehouse.core.ErrorCode.INVALID_COUNTRY;
import static dev.ddbwarehouse.core.ErrorCode.INVALID_CURRENCY;
import static dev.ddbwarehouse.core.ErrorCode.INVALID_TIMESTAMP;
import static dev.ddbwarehouse.core.ErrorCode.INVALID_VALUE;
import static dev.ddbwarehouse.core.ErrorCode.WRONG_TYPE;

import dev.ddbwarehouse.core.PoisonRecordException;
import dev.ddbwarehouse.core.item.DynamoValue;
import dev.ddbwarehouse.core.policy.EpochUnit;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Typed readers for source attributes. Each failure names the attribute and what was expected; none
 * quotes the value, which may be personal data.
 */
public final class ValueReaders {

  /** The warehouse's bounds for an exact amount: 30 integer digits, 8 decimals. */
  static final int AMOUNT_SCALE = 8;

  static final int AMOUNT_INTEGER_DIGITS = 30;

  private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

  /** Epoch milliseconds of 10000-01-01: later values cannot be ISO-8601 years. */
  private static final long MAX_EPOCH_MILLIS = 253_402_300_800_000L;

  private static final BigDecimal MAX_EPOCH_MICROS = BigDecimal.valueOf(MAX_EPOCH_MILLIS * 1000);

  private ValueReaders() {}

  public static String string(String attribute, DynamoValue value) {
    if (value instanceof DynamoValue.S s) {
      if (s.value().indexOf('\0') >= 0) {
        throw new PoisonRecordException(
            INVALID_VALUE, attribute, "attribute " + attribute + " contains a NUL character");
      }
      if (!isWellFormed(s.value())) {
        // Sent as UTF-8, a lone surrogate becomes '?': the warehouse would hold a value the source
        // does not, and two distinct ids could become one.
        throw new PoisonRecordException(
            INVALID_VALUE,
            attribute,
            "attribute " + attribute + " is not valid Unicode (an unpaired surrogate)");
      }
      return s.value();
    }
    throw wrongType(attribute, "S", value);
  }

  /** No unpaired surrogate: the text survives UTF-8 encoding unchanged. */
  public static boolean isWellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c & 0xF800) != 0xD800) continue; // not a surrogate: one test for nearly every char
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  public static BigDecimal amount(String attribute, DynamoValue value) {
    if (!(value instanceof DynamoValue.N n)) throw wrongType(attribute, "N", value);
    BigDecimal stripped = n.value().stripTrailingZeros();
    int integerDigits = stripped.precision() - stripped.scale();
    if (stripped.scale() > AMOUNT_SCALE || integerDigits > AMOUNT_INTEGER_DIGITS) {
      throw new PoisonRecordException(
          AMOUNT_NOT_EXACT,
          attribute,
          "attribute "
              + attribute
              + " cannot be stored exactly: at most "
              + AMOUNT_INTEGER_DIGITS
              + " integer digits and "
              + AMOUNT_SCALE
              + " decimals");
    }
    // Trailing zeros beyond 8 decimals carry no value: drop them (exactly) so the column's bound
    // holds.
    return n.value().scale() > AMOUNT_SCALE
        ? n.value().setScale(AMOUNT_SCALE, RoundingMode.UNNECESSARY)
        : n.value();
  }

  public static String currency(String attribute, DynamoValue value) {
    String code = string(attribute, value);
    if (isCodeOf(code, 3, 'A', 'Z')) {
      try {
        // Loaded on the first call, not at class load: all of the JDK's currencies at once cost
        // the cold start about 5 ms.
        Currency.getInstance(code);
        return code;
      } catch (IllegalArgumentException e) {
        // falls through to the error below
      }
    }
    throw new PoisonRecordException(
        INVALID_CURRENCY,
        attribute,
        "attribute " + attribute + " is not an ISO 4217 currency code");
  }

  public static String country(String attribute, DynamoValue value) {
    String code = string(attribute, value);
    if (COUNTRIES.contains(code)) return code;
    throw new PoisonRecordException(
        INVALID_COUNTRY,
        attribute,
        "attribute " + attribute + " is not an ISO 3166-1 alpha-2 country code (upper case)");
  }

  public static String merchantCategoryCode(String attribute, DynamoValue value) {
    String code = string(attribute, value);
    if (isCodeOf(code, 4, '0', '9')) return code;
    throw new PoisonRecordException(
        INVALID_VALUE,
        attribute,
        "attribute " + attribute + " is not a 4-digit merchant category code");
  }

  /**
   * {@code length} characters, each from {@code first} to {@code last}: the patterns [A-Z]{3} and
   * [0-9]{4} without a matcher per record.
   */
  private static boolean isCodeOf(String code, int length, char first, char last) {
    if (code.length() != length) return false;
    for (int i = 0; i < length; i++) {
      char c = code.charAt(i);
      if (c < first || c > last) return false;
    }
    return true;
  }

  public static List<String> stringSet(String attribute, DynamoValue value) {
    if (!(value instanceof DynamoValue.SS ss)) throw wrongType(attribute, "SS", value);
    for (String member : ss.value()) {
      if (member.indexOf('\0') >= 0) {
        throw new PoisonRecordException(
            INVALID_VALUE,
            attribute,
            "attribute " + attribute + " has a member with a NUL character");
      }
      if (!isWellFormed(member)) {
        throw new PoisonRecordException(
            INVALID_VALUE,
            attribute,
            "attribute " + attribute + " has a member that is not valid Unicode");
      }
    }
    // Sorted: a set has no order, and replays must produce identical rows. An array, not a
    // stream: a set of two members is the common case, and a stream's set-up costs more.
    String[] members = ss.value().toArray(String[]::new);
    Arrays.sort(members);
    int distinct = 0;
    for (String member : members) {
      if (distinct == 0 || !member.equals(members[distinct - 1])) members[distinct++] = member;
    }
    return List.of(members).subList(0, distinct);
  }

  /**
   * ISO-8601 with an offset ("2024-05-01T10:15:30+02:00", "...Z"), or a number counting {@code
   * unit} since the epoch (N): integral milliseconds, or seconds with up to 6 decimals. Truncated
   * to microseconds, PostgreSQL's precision, so the in-batch version comparison agrees with the
   * database's.
   */
  public static Instant timestamp(String attribute, DynamoValue value, EpochUnit unit) {
    try {
      Instant instant;
      if (value instanceof DynamoValue.S s) {
        String text = s.value().strip();
        Instant fast = IsoInstant.parse(text);
        instant = fast != null ? fast : OffsetDateTime.parse(text).toInstant();
      } else if (value instanceof DynamoValue.N n) {
        // The adapter bounds numbers to DynamoDB's range, so moving the point cannot overflow.
        BigDecimal micros = n.value().movePointRight(unit.decimalsToMicros());
        if (micros.signum() < 0 || micros.compareTo(MAX_EPOCH_MICROS) >= 0) {
          throw new ArithmeticException("out of range");
        }
        long exact = micros.longValueExact();
        if (unit == EpochUnit.MILLISECONDS && exact % 1000 != 0) {
          throw new ArithmeticException("not integral milliseconds");
        }
        instant = Instant.EPOCH.plus(exact, ChronoUnit.MICROS);
      } else {
        throw wrongType(attribute, "S (ISO-8601) or N (epoch " + unitName(unit) + ")", value);
      }
      if (instant.isBefore(Instant.EPOCH) || instant.toEpochMilli() >= MAX_EPOCH_MILLIS) {
        throw new ArithmeticException("out of range");
      }
      return instant.truncatedTo(ChronoUnit.MICROS);
    } catch (DateTimeException | ArithmeticException e) {
      throw new PoisonRecordException(
          INVALID_TIMESTAMP,
          attribute,
          "attribute "
              + attribute
              + " must be ISO-8601 with an offset or "
              + (unit == EpochUnit.MILLISECONDS
                  ? "integral epoch milliseconds"
                  : "epoch seconds (at most 6 decimals)")
              + ", between 1970 and 9999");
    }
  }

  /** Any DynamoDB number, exactly as written. */
  public static BigDecimal number(String attribute, DynamoValue value) {
    if (!(value instanceof DynamoValue.N n)) throw wrongType(attribute, "N", value);
    return n.value();
  }

  /** A whole number (DynamoDB writes 3 and 3.0 alike; both are 3). */
  public static BigInteger integer(String attribute, DynamoValue value) {
    BigDecimal n = number(attribute, value);
    try {
      return n.stripTrailingZeros().toBigIntegerExact();
    } catch (ArithmeticException e) {
      throw new PoisonRecordException(
          INVALID_VALUE, attribute, "attribute " + attribute + " must be a whole number");
    }
  }

  public static boolean bool(String attribute, DynamoValue value) {
    if (value instanceof DynamoValue.Bool b) return b.value();
    throw wrongType(attribute, "BOOL", value);
  }

  /** An ISO-8601 calendar date, {@code yyyy-MM-dd}, between 0001 and 9999. */
  public static LocalDate date(String attribute, DynamoValue value) {
    String text = string(attribute, value).strip();
    LocalDate date = text.length() == 10 ? parseDate(text) : null;
    if (date == null) {
      throw new PoisonRecordException(
          INVALID_TIMESTAMP,
          attribute,
          "attribute " + attribute + " must be an ISO-8601 date (yyyy-MM-dd)");
    }
    return date;
  }

  /**
   * The UTC calendar date of an ISO date ({@code yyyy-MM-dd}), an ISO-8601 timestamp or an epoch
   * number: what the generalising treatments (truncate, bucket by year) start from.
   */
  public static LocalDate calendarDate(String attribute, DynamoValue value, EpochUnit unit) {
    if (value instanceof DynamoValue.S s && s.value().strip().length() == 10) {
      LocalDate date = parseDate(s.value().strip());
      if (date != null) return date;
    }
    return LocalDate.ofInstant(timestamp(attribute, value, unit), ZoneOffset.UTC);
  }

  private static LocalDate parseDate(String text) {
    try {
      LocalDate date = LocalDate.parse(text);
      return date.getYear() >= 1 && date.getYear() <= 9999 ? date : null;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String unitName(EpochUnit unit) {
    return unit == EpochUnit.MILLISECONDS ? "milliseconds" : "seconds";
  }

  public static PoisonRecordException wrongType(
      String attribute, String expected, DynamoValue actual) {
    return new PoisonRecordException(
        WRONG_TYPE,
        attribute,
        "attribute " + attribute + " must be of type " + expected + ", was " + actual.type());
  }
}
