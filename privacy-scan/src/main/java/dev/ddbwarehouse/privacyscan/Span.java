package dev.ddbwarehouse.privacyscan;

/** Where in a text a detector matched: {@code [start, end)}. Never the matched text itself. */
public record Span(int start, int end) {
  public Span {
    if (start < 0 || end < start)
      throw new IllegalArgumentException("bad span " + start + ".." + end);
  }
}
