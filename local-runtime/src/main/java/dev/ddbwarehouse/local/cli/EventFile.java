package dev.ddbwarehouse.local.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbwarehouse.cli.CliFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The {@code --event} file, checked to be a Lambda DynamoDB stream event before the handler sees
 * it: the runtime's serialiser reads {@code {}} or a mapping document as an empty batch, which the
 * handler would happily "commit". Reasons name the place in the file, never a value from it.
 */
final class EventFile {

  static final String FLAG = "--event";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private EventFile() {}

  /** The event's bytes, once they look like a stream event; the function reads them itself. */
  static byte[] read(Path file) {
    InputFile.require(file, FLAG, "a Lambda DynamoDB stream event JSON file");
    byte[] bytes;
    JsonNode root;
    try {
      bytes = Files.readAllBytes(file);
      root = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw notAnEvent(file, "not valid JSON" + at(e.getLocation()));
    } catch (IOException e) {
      throw CliFailure.usage(
          FLAG + " " + file + ": could not be read (" + e.getClass().getSimpleName() + ")");
    }
    String problem = problem(root);
    if (problem != null) throw notAnEvent(file, problem);
    return bytes;
  }

  /** Why {@code root} is not a DynamoDB stream event, or null when it looks like one. */
  static String problem(JsonNode root) {
    if (root == null || root.isMissingNode()) return "the file is empty";
    if (!root.isObject())
      return "it is a JSON "
          + root.getNodeType().name().toLowerCase(Locale.ROOT)
          + ", not an object";
    JsonNode records = root.get("Records");
    if (records == null) {
      return root.has("attributes")
          ? "no \"Records\" array (this looks like a mapping document: pass it with --mapping)"
          : "no \"Records\" array";
    }
    if (!records.isArray()) return "\"Records\" is not an array";
    if (records.isEmpty()) return "\"Records\" is empty (Lambda never invokes with an empty batch)";
    for (int i = 0; i < records.size(); i++) {
      JsonNode record = records.get(i);
      String where = "Records[" + i + "]";
      if (!record.isObject()) return where + " is not an object";
      if (!"aws:dynamodb".equals(record.path("eventSource").asText(null))) {
        return where + " has no \"eventSource\": \"aws:dynamodb\" (not a DynamoDB stream record)";
      }
      if (!record.path("dynamodb").isObject()) return where + " has no \"dynamodb\" object";
    }
    return null;
  }

  private static String at(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) return "";
    return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  private static CliFailure notAnEvent(Path file, String reason) {
    return CliFailure.usage(
        FLAG + " " + file + " is not a Lambda DynamoDB stream event: " + reason);
  }
}
