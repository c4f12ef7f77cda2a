package dev.ddbwarehouse.backfill.copy;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Told of every batch just before it is written to the shadow table, on the copy thread that writes
 * it; e.g. the local runtime counts the stream records it should expect. Items carry personal data:
 * a listener must not log their values.
 */
@FunctionalInterface
public interface CopyListener {

  void beforeWrite(List<Map<String, AttributeValue>> items);

  CopyListener NONE = items -> {};
}
