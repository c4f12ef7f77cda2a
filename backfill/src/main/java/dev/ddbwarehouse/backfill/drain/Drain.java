package dev.ddbwarehouse.backfill.drain;

/**
 * Whether the function has taken in everything written to the shadow stream.
 *
 * @param pending records (or items) known not to be processed yet; a lower bound
 * @param detail what was checked, for the operator
 */
public record Drain(boolean drained, long pending, String detail) {}
