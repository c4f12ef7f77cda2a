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
  /** Never stored; counted. */
  DROP("drop"),
  /**
   * Stored as-is in the jsonb column {@code extra}: an explicit allow-list for non-personal extras.
   */
  EXTRA("extra");

  private final String documentName;

  Treatment(String documentName) {
    this.documentName = documentName;
  }

  public String documentName() {
    return documentName;
  }

  public static Optional<Treatment> byDocumentName(String name) {
    return Arrays.stream(values()).filter(t -> t.documentName.equals(name)).findFirst();
  }
}
