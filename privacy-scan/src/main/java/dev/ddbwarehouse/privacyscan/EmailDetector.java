package dev.ddbwarehouse.privacyscan;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** E-mail addresses: a local part, {@code @}, a dotted domain ending in a 2–24 letter TLD. */
public final class EmailDetector implements Detector {

  private static final Pattern EMAIL =
      Pattern.compile(
          "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@"
              + "(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,24}"
              + "(?![A-Za-z0-9-])");

  @Override
  public Kind kind() {
    return Kind.EMAIL;
  }

  @Override
  public List<Span> find(String text) {
    if (text.indexOf('@') < 0) return List.of();
    List<Span> spans = new ArrayList<>();
    Matcher m = EMAIL.matcher(text);
    while (m.find()) spans.add(new Span(m.start(), m.end()));
    return spans;
  }
}
