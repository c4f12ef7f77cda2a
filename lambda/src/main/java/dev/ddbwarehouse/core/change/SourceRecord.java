package dev.ddbwarehouse.core.change;

import dev.ddbwarehouse.core.item.Item;

/**
 * One stream record with its images already unmarshalled into typed values. Images are null when
 * the stream's view type does not carry them.
 *
 * @param removedByTtl the change was made by DynamoDB's TTL process (userIdentity type Service,
 *     principal dynamodb.amazonaws.com), not by the application
 */
public record SourceRecord(
    RecordMeta meta,
    EventKind kind,
    Item keys,
    Item newImage,
    Item oldImage,
    boolean removedByTtl) {}
