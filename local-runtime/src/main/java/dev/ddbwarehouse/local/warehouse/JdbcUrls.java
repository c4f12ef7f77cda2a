package dev.ddbwarehouse.local.warehouse;

/**
 * JDBC URLs with another login's credentials (masking for print: cli-support's {@code JdbcUrl}).
 */
public final class JdbcUrls {

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
}
