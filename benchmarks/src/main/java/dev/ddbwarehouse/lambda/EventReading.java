package dev.ddbwarehouse.lambda;

import dev.ddbwarehouse.core.pipeline.RecordSource;

/** The function's own event reader, for the benchmarks (it is package-private in the function). */
public final class EventReading {

  private EventReading() {}

  public static RecordSource reader(byte[] event) {
    return StreamEventReader.of(event);
  }
}
