package dev.ddbwarehouse.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ddbwarehouse.core.InvalidConfigurationException;
import dev.ddbwarehouse.core.json.JsonValue;
import dev.ddbwarehouse.db.DatabaseSettings;

/**
 * Reads an RDS-style database secret: {@code {"host","port","dbname","username","password"}}, the
 * shape Secrets Manager's RDS rotation keeps.
 */
final class RdsSecret {

  private RdsSecret() {}

  static DatabaseSettings parse(
      String json, String source, String sslMode, String sslRootCert, int prepareThreshold) {
    JsonValue root;
    try {
      root = JsonValue.parse(json);
    } catch (JsonProcessingException e) {
      throw new InvalidConfigurationException("database secret " + source + " is not valid JSON");
    }
    if (!(root instanceof JsonValue.Obj)) {
      throw new InvalidConfigurationException(
          "database secret " + source + " must be a JSON object");
    }
    String host = text(root, "host", source);
    String user = text(root, "username", source);
    String password = text(root, "password", source);
    String dbname = root.text("dbname");
    if (dbname == null) dbname = "postgres";
    String portText = root.text("port");
    int port = portText == null ? 5432 : port(portText);
    if (port < 1 || port > 65535) {
      throw new InvalidConfigurationException(
          "database secret " + source + ": \"port\" must be 1-65535");
    }
    String url = "jdbc:postgresql://" + host + ":" + port + "/" + dbname;
    return new DatabaseSettings(url, user, password, sslMode, sslRootCert, prepareThreshold);
  }

  private static String text(JsonValue root, String field, String source) {
    String v = root.text(field);
    if (v == null || v.isBlank()) {
      throw new InvalidConfigurationException(
          "database secret " + source + ": \"" + field + "\" is missing");
    }
    return v;
  }

  /** RDS writes the port as a number; a string of digits is accepted too. -1 when neither. */
  private static int port(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
