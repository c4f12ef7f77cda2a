package dev.ddbwarehouse.backfill.drain;

/**
 * Decides whether the shadow stream is drained, i.e. deleting the shadow table loses nothing the
 * function has yet to process. Implementations must err on "not drained".
 */
@FunctionalInterface
public interface DrainCheck {

  Drain check() throws InterruptedException;
}
