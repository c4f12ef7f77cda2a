package dev.ddbwarehouse.core.policy;

import dev.ddbwarehouse.core.item.DynamoValue;
import dev.ddbwarehouse.core.value.ValueReaders;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * The parameters of a generalising treatment: what is left of a value is never more precise than
 * declared. Each applies to one attribute value and returns the typed value written.
 */
public sealed interface Generalisation {

  Object apply(String attribute, DynamoValue value, EpochUnit unit);

  /** A date or timestamp cut down to the first instant (UTC) of its day, month, quarter or year. */
  record Truncate(CalendarUnit unit) implements Generalisation {
    @Override
    public Object apply(String attribute, DynamoValue value, EpochUnit epochUnit) {
      LocalDate date = ValueReaders.calendarDate(attribute, value, epochUnit);
      return unit.start(date).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
  }

  /**
   * A number, or the year of a date, replaced by the lower bound of its band of {@code width}:
   * width 5 puts 1987 in 1985 (1985–1989), -3 in -5. A lower bound rather than a label, so that BI
   * tools sort, filter and bin it as a number.
   */
  record Bucket(int width, boolean ofYear) implements Generalisation {
    public Bucket {
      if (width < 1) throw new IllegalArgumentException("width must be at least 1");
    }

    @Override
    public Object apply(String attribute, DynamoValue value, EpochUnit epochUnit) {
      BigDecimal n =
          ofYear
              ? BigDecimal.valueOf(ValueReaders.calendarDate(attribute, value, epochUnit).getYear())
              : ValueReaders.number(attribute, value);
      BigInteger band = n.divide(BigDecimal.valueOf(width), 0, RoundingMode.FLOOR).toBigInteger();
      return band.multiply(BigInteger.valueOf(width));
    }
  }

  /** A string kept only if listed; anything else becomes {@code other}, or NULL without one. */
  record AllowList(Set<String> values, String other) implements Generalisation {
    public AllowList {
      values = Set.copyOf(values);
    }

    @Override
    public Object apply(String attribute, DynamoValue value, EpochUnit epochUnit) {
      String s = ValueReaders.string(attribute, value);
      return values.contains(s) ? s : other;
    }
  }

  /** The units a date or timestamp can be truncated to. */
  enum CalendarUnit {
    DAY,
    MONTH,
    QUARTER,
    YEAR;

    LocalDate start(LocalDate date) {
      return switch (this) {
        case DAY -> date;
        case MONTH -> date.withDayOfMonth(1);
        case QUARTER -> LocalDate.of(date.getYear(), (date.getMonthValue() - 1) / 3 * 3 + 1, 1);
        case YEAR -> date.withDayOfYear(1);
      };
    }

    static java.util.Optional<CalendarUnit> byDocumentName(String name) {
      for (CalendarUnit u : values()) {
        if (u.name().toLowerCase(java.util.Locale.ROOT).equals(name)) {
          return java.util.Optional.of(u);
        }
      }
      return java.util.Optional.empty();
    }
  }
}
