package dev.ddbwarehouse.lambda;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart: before the snapshot, warm the code paths of a batch (so a restored environment does
 * not pay class loading and interpretation on its first batch) and close the connection (a snapshot
 * must not carry a socket); after a restore, forget the database secret so the first connection
 * reads a fresh one. The HMAC key may be carried: it is fixed per key version.
 */
final class SnapStartHooks implements Resource {

  private final Pipeline pipeline;

  private SnapStartHooks(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  /** Registers the hooks; CRaC holds resources weakly, so the caller keeps the returned object. */
  static SnapStartHooks register(Pipeline pipeline) {
    SnapStartHooks hooks = new SnapStartHooks(pipeline);
    Core.getGlobalContext().register(hooks);
    return hooks;
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    pipeline.prime();
    pipeline.releaseConnection();
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    pipeline.expireDatabaseSecret();
  }
}
