package dev.ddbwarehouse.core.change;

/** The DynamoDB Streams event names. */
public enum EventKind {
  INSERT,
  MODIFY,
  REMOVE
}
