package dev.ddbwarehouse.core;

/** Why a record was quarantined; stored in etl.quarantine.error_code and used in metrics. */
public enum ErrorCode {
  /** The image could not be read into typed values (an untyped or malformed attribute value). */
  UNPARSABLE_IMAGE,
  /** INSERT or MODIFY without a new image: the stream's view type carries none. */
  MISSING_NEW_IMAGE,
  /** The event name is not INSERT, MODIFY or REMOVE. */
  UNKNOWN_EVENT_NAME,
  MISSING_ATTRIBUTE,
  WRONG_TYPE,
  INVALID_NUMBER,
  AMOUNT_NOT_EXACT,
  INVALID_CURRENCY,
  INVALID_COUNTRY,
  INVALID_TIMESTAMP,
  /**
   * The image's version (updatedAt, else createdAt) lies outside the mapping's versionWindow around
   * the record's ApproximateCreationDateTime: stored, a version far ahead would freeze the row.
   */
  IMPLAUSIBLE_VERSION,
  INVALID_IP_ADDRESS,
  INVALID_VALUE,
  /** The stream record's own metadata (sequence number) is unusable. */
  INVALID_RECORD_METADATA,
  /** The warehouse refused the row although it passed validation (a constraint). */
  REJECTED_BY_WAREHOUSE,
  /** A defect in this program; the exception class is recorded, never its message. */
  INTERNAL_ERROR
}
