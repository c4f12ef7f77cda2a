package dev.ddbwarehouse.core.policy;

import java.util.Arrays;
import java.util.Optional;

/**
 * What an N (number) timestamp attribute counts since 1970-01-01T00:00:00Z. Declared per attribute
 * ({@code "epochUnit"} in the mapping document): the value alone cannot tell, and seconds read as
 * milliseconds land in January 1970.
 */
public enum EpochUnit {
  /** The default: integral milliseconds. */
  MILLISECONDS("ms", 3),
  /** Seconds, with up to 6 decimals (microseconds, the warehouse's precision). */
  SECONDS("s", 6);

  private final String documentName;
  private final int decimalsToMicros;

  EpochUnit(String documentName, int decimalsToMicros) {
    this.documentName = documentName;
    this.decimalsToMicros = decimalsToMicros;
  }

  public String documentName() {
    return documentName;
  }

  /** How many places to move the decimal point right to get microseconds. */
  public int decimalsToMicros() {
    return decimalsToMicros;
  }

  public static Optional<EpochUnit> byDocumentName(String name) {
    return Arrays.stream(values()).filter(u -> u.documentName.equals(name)).findFirst();
  }
}
