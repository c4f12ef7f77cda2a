package dev.ddbwarehouse.core.policy;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Canonical forms applied before hashing, so that one person's value written two ways still gets
 * one pseudonym. Part of pseudonym format v1: changing one changes every pseudonym of its kind.
 */
public enum Normaliser {
  /** Leading and trailing white space removed. */
  TRIM("trim") {
    @Override
    public String apply(String raw) {
      return raw.strip();
    }
  },
  /** All white space removed, upper case: "de89 3704 ..." and "DE893704..." are one IBAN. */
  IBAN("iban") {
    @Override
    public String apply(String raw) {
      // A plain loop: every identifying value of every image passes here (a stream costs more
      // than the HMAC that follows).
      StringBuilder out = new StringBuilder(raw.length());
      for (int i = 0; i < raw.length(); ) {
        int cp = raw.codePointAt(i);
        i += Character.charCount(cp);
        if (!Character.isWhitespace(cp) && !Character.isSpaceChar(cp)) out.appendCodePoint(cp);
      }
      return out.toString().toUpperCase(Locale.ROOT);
    }
  },
  /** Trimmed, lower case (the whole address: providers treat local parts case-insensitively). */
  EMAIL("email") {
    @Override
    public String apply(String raw) {
      return raw.strip().toLowerCase(Locale.ROOT);
    }
  },
  /** A leading + if there was one, then the digits only: "+49 (151) 123-45" is "+4915112345". */
  PHONE("phone") {
    @Override
    public String apply(String raw) {
      String s = raw.strip();
      StringBuilder out = new StringBuilder(s.length());
      if (s.startsWith("+")) out.append('+');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c >= '0' && c <= '9') out.append(c);
      }
      return out.toString();
    }
  },
  /**
   * E.164 ("+4915123456789") by libphonenumber's numbering plans, national forms read in the rule's
   * {@code region}: "0151 2345678" (region DE) and "+49 151 2345678" are one number. A value the
   * plans cannot read as a possible number falls back to {@link #PHONE}'s form, so one written form
   * still gets one pseudonym. A name of its own: {@code phone} pseudonyms (format v1) do not
   * change.
   */
  PHONE_E164("phone-e164") {
    @Override
    public String apply(String raw) {
      return apply(raw, null);
    }

    @Override
    public String apply(String raw, String region) {
      return PhoneNumbers.e164(raw, region).orElseGet(() -> PHONE.apply(raw));
    }
  };

  private final String documentName;

  Normaliser(String documentName) {
    this.documentName = documentName;
  }

  public abstract String apply(String raw);

  /** With the rule's default region (only {@link #PHONE_E164} reads it). */
  public String apply(String raw, String region) {
    return apply(raw);
  }

  public String documentName() {
    return documentName;
  }

  public static Optional<Normaliser> byDocumentName(String name) {
    return Arrays.stream(values()).filter(n -> n.documentName.equals(name)).findFirst();
  }
}
