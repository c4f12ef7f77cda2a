package dev.ddbwarehouse.cli;

import java.util.regex.Pattern;

/** JDBC URLs as a tool may print them: a {@code password=} parameter never reaches a terminal. */
public final class JdbcUrl {

  private static final Pattern PASSWORD = Pattern.compile("(?i)([?&;](?:ssl)?password=)[^&;#\\s]*");

  /** {@code //user:secret@host}, which some users write out of habit from libpq URIs. */
  private static final Pattern USER_INFO = Pattern.compile("(//[^/:@?#\\s]*:)[^@/?#\\s]*@");

  private JdbcUrl() {}

  /**
   * {@code text} (a URL, or a message that quotes one) with the value of every {@code password=}
   * and {@code sslpassword=} (pgjdbc's client key password) parameter, and of a password in the
   * user info ({@code //user:secret@host}), replaced by {@code ***}.
   */
  public static String masked(String text) {
    if (text == null) return null;
    String noParameter = PASSWORD.matcher(text).replaceAll("$1***");
    return USER_INFO.matcher(noParameter).replaceAll("$1***@");
  }
}
