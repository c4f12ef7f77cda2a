package dev.ddbwarehouse.privacyscan;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Values known to identify someone, searched case-insensitively as substrings of any text. Each
 * value is searched as given and in the forms a normaliser would produce (white space removed;
 * phones as digits with and without +; timestamps with an offset as PostgreSQL prints them in UTC),
 * plus any forms the caller adds (the pipeline's own normalisers, which this module cannot see).
 * Forms shorter than {@value #MIN_LENGTH} characters are dropped: they would match by chance.
 *
 * <p>Search: each form is indexed by the k characters at its middle; every k-character window of a
 * searched text is looked up and candidates are confirmed in place. That keeps a scan of 10,000
 * rows against 70,000 forms well under a second.
 */
public final class KnownValues {

  public static final int MIN_LENGTH = 4;

  private static final DateTimeFormatter SECONDS_SPACE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT);
  private static final DateTimeFormatter SECONDS_ISO =
      DateTimeFormatter.ofPattern("uuuu-MM-dd't'HH:mm:ss", Locale.ROOT);

  private record Needle(String text, int gramOffset) {}

  private final int gram;
  private final int values;
  private final int forms;
  private final Map<String, List<Needle>> index = new HashMap<>();

  private KnownValues(int values, Set<String> needles) {
    this.values = values;
    this.forms = needles.size();
    this.gram = Math.max(1, Math.min(8, needles.stream().mapToInt(String::length).min().orElse(8)));
    for (String needle : needles) {
      int offset = (needle.length() - gram) / 2;
      index
          .computeIfAbsent(needle.substring(offset, offset + gram), k -> new ArrayList<>())
          .add(new Needle(needle, offset));
    }
  }

  public static KnownValues none() {
    return new KnownValues(0, Set.of());
  }

  /** Each value in its generic forms. */
  public static KnownValues of(Collection<String> values) {
    Builder builder = builder();
    values.forEach(builder::add);
    return builder.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects values and their extra forms; not thread-safe. */
  public static final class Builder {
    private final Set<String> needles = new HashSet<>();
    private final Set<String> values = new HashSet<>();

    private Builder() {}

    public Builder add(String value) {
      return add(value, List.of());
    }

    /** The value in its generic forms and in {@code forms} (e.g. what the pipeline normalises). */
    public Builder add(String value, Collection<String> forms) {
      values.add(value);
      needles.addAll(variants(value));
      for (String form : forms) needles.addAll(variants(form));
      return this;
    }

    public KnownValues build() {
      return new KnownValues(values.size(), needles);
    }
  }

  /** How many distinct values were added. */
  public int values() {
    return values;
  }

  /** How many distinct forms are searched. */
  public int forms() {
    return forms;
  }

  public boolean isEmpty() {
    return forms == 0;
  }

  /** The value as written plus the forms a normaliser would produce, all lower case. */
  static Set<String> variants(String value) {
    Set<String> variants = new HashSet<>();
    String lower = value.strip().toLowerCase(Locale.ROOT);
    variants.add(lower);
    variants.add(lower.replace(" ", ""));
    if (lower.startsWith("+")) {
      // Phones: digits only, with and without the plus; long enough not to occur by chance in hex.
      String digits = lower.replaceAll("[^0-9]", "");
      variants.add(digits);
      variants.add("+" + digits);
    }
    instantToSeconds(lower)
        .ifPresent(
            utc -> {
              // How PostgreSQL prints a timestamptz in UTC ("2021-03-04 05:06:07.1+00") and the ISO
              // form, both to the second: fractions lose trailing zeros there, so they are left
              // out.
              variants.add(utc.format(SECONDS_SPACE));
              variants.add(utc.format(SECONDS_ISO));
            });
    variants.removeIf(v -> v.length() < MIN_LENGTH);
    return variants;
  }

  /** An ISO-8601 timestamp with offset, in UTC to the second; empty for anything else. */
  private static Optional<LocalDateTime> instantToSeconds(String lower) {
    if (lower.length() < 20 || lower.indexOf('t') != 10) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          LocalDateTime.ofInstant(
              OffsetDateTime.parse(lower.toUpperCase(Locale.ROOT)).toInstant(), ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** True when the text contains any form of any value. */
  public boolean containsAny(String text) {
    if (forms == 0) return false;
    String lower = text.toLowerCase(Locale.ROOT);
    for (int i = 0; i + gram <= lower.length(); i++) {
      List<Needle> candidates = index.get(lower.substring(i, i + gram));
      if (candidates == null) {
        continue;
      }
      for (Needle needle : candidates) {
        int start = i - needle.gramOffset();
        if (start >= 0 && lower.startsWith(needle.text(), start)) {
          return true;
        }
      }
    }
    return false;
  }
}
