package dev.ddbwarehouse.privacyscan;

/** What a finding is: a pattern that identifies anyone, or a value known to identify someone. */
public enum Kind {
  EMAIL("email"),
  IBAN("iban"),
  CARD("card"),
  PHONE("phone"),
  IP("ip"),
  /** One of the values the scan was given (sampled from the source, or listed in a file). */
  KNOWN_VALUE("known-value");

  private final String label;

  Kind(String label) {
    this.label = label;
  }

  /** The name in reports: {@code kind=email}. */
  public String label() {
    return label;
  }
}
