package dev.ddbwarehouse.core.policy;

/** What a REMOVE caused by DynamoDB's TTL expiry (not by the application) does. */
public enum TtlDeletes {
  /** Keep the row: TTL usually ages data out of the hot table, not out of history. */
  IGNORE("ignore"),
  /** Treat it like an application delete. */
  SOFT_DELETE("soft-delete");

  private final String documentName;

  TtlDeletes(String documentName) {
    this.documentName = documentName;
  }

  public String documentName() {
    return documentName;
  }

  public static TtlDeletes parse(String value, String where) {
    for (TtlDeletes t : values()) {
      if (t.documentName.equals(value)) return t;
    }
    throw new dev.ddbwarehouse.core.InvalidConfigurationException(
        where + ": must be \"ignore\" or \"soft-delete\", was \"" + value + "\"");
  }
}
