package dev.ddbwarehouse.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbwarehouse.core.InvalidConfigurationException;
import dev.ddbwarehouse.db.DatabaseSettings;
import java.io.IOException;

/**
 * Reads an RDS-style database secret: {@code {"host","port","dbname","username","password"}}, the
 * shape Secrets Manager's RDS rotation keeps.
 */
final class RdsSecret {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RdsSecret() {}

  static DatabaseSettings parse(
      String json, String source, String sslMode, String sslRootCert, int prepareThreshold) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new InvalidConfigurationException("database secret " + source + " is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new InvalidConfigurationException("database secret " + source + " must be a JSON object");
    }
    String host = text(root, "host", source);
    String user = text(root, "username", source);
    String password = text(root, "password", source);
    String dbname = root.hasNonNull("dbname") ? root.get("dbname").asText() : "postgres";
    int port = root.hasNonNull("port") ? root.get("port").asInt(-1) : 5432;
    if (port < 1 || port > 65535) {
      throw new InvalidConfigurationException("database secret " + source + ": \"port\" must be 1-65535");
    }
    String url = "jdbc:postgresql://" + host + ":" + port + "/" + dbname;
    return new DatabaseSettings(url, user, password, sslMode, sslRootCert, prepareThreshold);
  }

  private static String text(JsonNode root, String field, String source) {
    JsonNode v = root.get(field);
    if (v == null || !v.isValueNode() || v.asText().isBlank()) {
      throw new InvalidConfigurationException("database secret " + source + ": \"" + field + "\" is missing");
    }
    return v.asText();
  }
}
