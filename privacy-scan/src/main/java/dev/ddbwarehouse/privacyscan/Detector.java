package dev.ddbwarehouse.privacyscan;

import java.util.List;

/**
 * Finds one kind of identifying pattern in free text. Implementations are stateless and
 * thread-safe; they return positions only, so that no caller is tempted to print what matched.
 */
public interface Detector {

  Kind kind();

  /** Every match in {@code text}, in order, not overlapping; empty when there is none. */
  List<Span> find(String text);
}
