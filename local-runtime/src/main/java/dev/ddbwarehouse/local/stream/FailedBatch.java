package dev.ddbwarehouse.local.stream;

/**
 * Records that exhausted their retries: what Lambda hands to an on-failure destination. Only
 * positions in the stream, never record contents, so it may be logged.
 */
public record FailedBatch(
    String streamArn,
    String shardId,
    String firstSequenceNumber,
    String lastSequenceNumber,
    int size,
    int attempts,
    String reason) {}
