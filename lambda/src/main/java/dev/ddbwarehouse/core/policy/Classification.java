package dev.ddbwarehouse.core.policy;

import java.util.Arrays;
import java.util.Optional;

/**
 * How much a source attribute says about a person, declared per entry of the mapping document. It
 * decides which treatments are allowed: an identifying attribute never reaches the warehouse raw
 * (treatments {@code keep} or {@code extra}) unless {@code storeIdentifyingRaw} names it.
 */
public enum Classification {
  /** Names a person on its own: ids, account numbers, IBANs, e-mail, phone, IP address, name. */
  IDENTIFYING("identifying"),
  /**
   * Narrows a person down in combination (country, dates, merchant): kept, checked by k-anonymity.
   */
  QUASI_IDENTIFYING("quasi-identifying"),
  /** Says nothing about a person (amounts, currencies, codes). */
  OTHER("other");

  private final String documentName;

  Classification(String documentName) {
    this.documentName = documentName;
  }

  public String documentName() {
    return documentName;
  }

  public static Optional<Classification> byDocumentName(String name) {
    return Arrays.stream(values()).filter(c -> c.documentName.equals(name)).findFirst();
  }

  /** The treatments that store the source value itself. */
  static boolean storesRaw(Treatment treatment) {
    return treatment == Treatment.KEEP || treatment == Treatment.EXTRA;
  }
}
