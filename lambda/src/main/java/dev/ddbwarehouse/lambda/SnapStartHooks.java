package dev.ddbwarehouse.lambda;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart: before the snapshot, warm the code paths of a batch (so a restored environment does
 * not pay class loading and interpretation on its first batch) and close the connection (a snapshot
 * must not carry a socket); after a restore, forget the database secret so the first connection
 * reads a fresh one, and have the first invocation re-read the key ring and the mapping document (a
 * snapshot can be restored long after a rotation or an SSM change; see {@link LivePipeline}).
 */
final class SnapStartHooks implements Resource {

  private final LivePipeline pipeline;

  private SnapStartHooks(LivePipeline pipeline) {
    this.pipeline = pipeline;
  }

  /** Registers the hooks; CRaC holds resources weakly, so the caller keeps the returned object. */
  static SnapStartHooks register(Pipeline pipeline) {
    return register(LivePipeline.fixed(pipeline));
  }

  static SnapStartHooks register(LivePipeline pipeline) {
    SnapStartHooks hooks = new SnapStartHooks(pipeline);
    Core.getGlobalContext().register(hooks);
    return hooks;
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    pipeline.current().prime();
    pipeline.current().releaseConnection();
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    pipeline.current().expireDatabaseSecret();
    pipeline.restored();
  }
}
