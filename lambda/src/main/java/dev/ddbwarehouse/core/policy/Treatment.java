package dev.ddbwarehouse.core.policy;

import java.util.Arrays;
import java.util.Optional;

/** What happens to a source attribute on its way to the warehouse. */
public enum Treatment {
  /** Stored as a typed value, validated (non-personal data only). */
  KEEP("keep"),
  /** Replaced by its HMAC-SHA256 pseudonym (format v1) in a namespace. */
  PSEUDONYMISE("pseudonymise"),
  /** An IP address reduced to its network: IPv4 /24, IPv6 /48. */
  GENERALISE_IP("generalise-ip"),
  /** A date or timestamp truncated to a calendar unit (see {@link Generalisation.Truncate}). */
  TRUNCATE("truncate"),
  /**
   * A number or a date's year replaced by its band's lower bound ({@link Generalisation.Bucket}).
   */
  BUCKET("bucket"),
  /** A string kept only if it is one of a declared list ({@link Generalisation.AllowList}). */
  ALLOW_LIST("allow-list"),
  /** Never stored; counted. */
  DROP("drop"),
  /**
   * Stored as-is in the table's jsonb column {@code extra}: an explicit allow-list for non-personal
   * extras.
   */
  EXTRA("extra");

  private final String documentName;

  Treatment(String documentName) {
    this.documentName = documentName;
  }

  public String documentName() {
    return documentName;
  }

  /** True for the treatments that reduce a value to something coarser. */
  public boolean generalises() {
    return this == GENERALISE_IP || this == TRUNCATE || this == BUCKET || this == ALLOW_LIST;
  }

  static String names() {
    return String.join(", ", Arrays.stream(values()).map(t -> t.documentName).toList());
  }

  public static Optional<Treatment> byDocumentName(String name) {
    return Arrays.stream(values()).filter(t -> t.documentName.equals(name)).findFirst();
  }
}
