package dev.ddbwarehouse.privacyscan;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Everything identifying in one text: the pattern detectors and the known values. Pseudonyms, UUIDs
 * and ARNs are blanked before the patterns run (never findings themselves), and each pattern's
 * matches are blanked before the next runs, so that an IBAN's digits are not also a phone and a
 * card number is one finding, not two. Phones run last: they are the loosest pattern.
 */
public final class TextScanner {

  private static final List<Detector> DETECTORS =
      List.of(
          new EmailDetector(),
          new IbanDetector(),
          new CardDetector(),
          new IpDetector(),
          new PhoneDetector());

  private final List<Detector> detectors;
  private final KnownValues known;

  public TextScanner(KnownValues known) {
    this(DETECTORS, known);
  }

  TextScanner(List<Detector> detectors, KnownValues known) {
    this.detectors = List.copyOf(detectors);
    this.known = known;
  }

  /** Only the patterns. */
  public static TextScanner patternsOnly() {
    return new TextScanner(KnownValues.none());
  }

  public KnownValues knownValues() {
    return known;
  }

  /** The kinds found in {@code text} of a column of {@code kind}; empty when clean. */
  public Set<Kind> scan(String text, ColumnKind kind) {
    Set<Kind> found = EnumSet.noneOf(Kind.class);
    if (text == null || text.isEmpty()) return found;
    if (kind != ColumnKind.TEMPORAL) {
      String rest = Masking.identifiers(text);
      for (Detector detector : detectors) {
        if (kind == ColumnKind.NETWORK && detector.kind() == Kind.IP) continue;
        List<Span> spans = detector.find(rest);
        if (spans.isEmpty()) continue;
        found.add(detector.kind());
        for (Span span : spans) rest = Masking.blank(rest, span);
      }
    }
    if (known.containsAny(Masking.pseudonyms(text))) found.add(Kind.KNOWN_VALUE);
    return found;
  }

  /** {@link #scan} for free text (a log, a dump): as a text column. */
  public Set<Kind> scan(String text) {
    return scan(text, ColumnKind.TEXT);
  }
}
