package dev.ddbwarehouse.core.policy;

/**
 * What kind of value a rule writes into its column; the sink checks at start-up that the column's
 * SQL type can hold it.
 */
public enum Output {
  TEXT("text"),
  NUMBER("a number"),
  INTEGER("an integer"),
  BOOLEAN("a boolean"),
  TIMESTAMP("a timestamp"),
  DATE("a date"),
  /** The first instant of a calendar unit: a date column or a timestamp column holds it. */
  CALENDAR("a date"),
  TEXT_ARRAY("a text array"),
  /** An IP network in CIDR notation: a text, cidr or inet column. */
  NETWORK("an IP network"),
  JSON("JSON");

  private final String description;

  Output(String description) {
    this.description = description;
  }

  /** For messages: "treatment \"bucket\" writes an integer". */
  public String description() {
    return description;
  }
}
