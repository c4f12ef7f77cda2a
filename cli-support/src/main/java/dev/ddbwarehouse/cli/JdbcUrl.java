package dev.ddbwarehouse.cli;

import java.util.regex.Pattern;

/** JDBC URLs as a tool may print them: a {@code password=} parameter never reaches a terminal. */
public final class JdbcUrl {

  private static final Pattern PASSWORD = Pattern.compile("(?i)([?&;](?:ssl)?password=)[^&;\\s]*");

  private JdbcUrl() {}

  /**
   * {@code text} (a URL, or a message that quotes one) with the value of every {@code password=}
   * and {@code sslpassword=} (pgjdbc's client key password) parameter replaced by {@code ***}.
   */
  public static String masked(String text) {
    return text == null ? null : PASSWORD.matcher(text).replaceAll("$1***");
  }
}
