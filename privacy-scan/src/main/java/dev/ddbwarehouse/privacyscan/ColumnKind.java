package dev.ddbwarehouse.privacyscan;

/** Which detectors a column's values go through. */
public enum ColumnKind {
  /** Text, arrays, JSON: every detector and the known values. */
  TEXT,
  /**
   * inet/cidr, or a column named {@code *_network}: generalised networks by design, so no IP
   * detector; every other detector and the known values (a raw address of a sampled item there is
   * still a leak).
   */
  NETWORK,
  /**
   * Dates and timestamps, as text in UTC: only the known values (an exact birth date or signup
   * time), since no pattern can appear in a timestamp's text.
   */
  TEMPORAL
}
