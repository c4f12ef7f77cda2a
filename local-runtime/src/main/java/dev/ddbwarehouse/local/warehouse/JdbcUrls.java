package dev.ddbwarehouse.local.warehouse;

import java.util.regex.Pattern;

/** JDBC URLs as they may be printed: whatever password they carry is replaced by {@code ***}. */
public final class JdbcUrls {

  /** {@code password=} as a URL parameter (pgjdbc also reads it after {@code ;} or {@code ?}). */
  private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;]password=)[^&;#]*");

  /** {@code //user:secret@host}, which some users write out of habit from libpq URIs. */
  private static final Pattern USER_INFO = Pattern.compile("(//[^/:@?#]*:)[^@/?#]*@");

  private JdbcUrls() {}

  /**
   * The URL without its {@code user=} and {@code password=} parameters, to which another login's
   * can be appended.
   */
  public static String withoutCredentials(String url) {
    int query = url.indexOf('?');
    if (query < 0) {
      return url;
    }
    StringBuilder kept = new StringBuilder(url.substring(0, query));
    for (String pair : url.substring(query + 1).split("&")) {
      String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
      if (!pair.isEmpty() && !name.equalsIgnoreCase("user") && !name.equalsIgnoreCase("password")) {
        kept.append(kept.indexOf("?") < 0 ? '?' : '&').append(pair);
      }
    }
    return kept.toString();
  }

  public static String masked(String url) {
    if (url == null) {
      return null;
    }
    String noParameter = PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
    return USER_INFO.matcher(noParameter).replaceAll("$1***@");
  }
}
