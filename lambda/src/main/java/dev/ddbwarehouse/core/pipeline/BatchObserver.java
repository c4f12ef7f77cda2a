package dev.ddbwarehouse.core.pipeline;

/** Told about every batch, committed or not: metrics, the local runtime's progress report. */
@FunctionalInterface
public interface BatchObserver {

  BatchObserver NONE = report -> {};

  void onBatch(BatchReport report);
}
