package dev.ddbwarehouse.core.erasure;

import dev.ddbwarehouse.core.InvalidRequestException;
import java.util.regex.Pattern;

/**
 * A data-subject request: erase (GDPR Art. 17) or export (Art. 15) everything the warehouse holds
 * about the subject named by one raw identifier in one pseudonym namespace. {@code toString} never
 * shows the value.
 *
 * @param requestId the caller's id for the request (a ticket number), kept in the audit trail
 * @param value the raw identifier, normalised as the pipeline normalises its namespace
 */
public record SubjectRequest(
    String requestId, String namespace, String value, Action action, boolean dryRun) {

  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:/-]{1,128}");

  public enum Action {
    FORGET("forget"),
    EXPORT("export");

    private final String word;

    Action(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }

    public static Action parse(String word) {
      for (Action a : values()) if (a.word.equals(word)) return a;
      throw new InvalidRequestException("action must be \"forget\" or \"export\"");
    }
  }

  /** Checks every field; messages name the field, never its value when it is the identifier. */
  public SubjectRequest {
    if (action == null) throw new InvalidRequestException("action is required");
    if (requestId == null || !REQUEST_ID.matcher(requestId).matches()) {
      throw new InvalidRequestException(
          "requestId is required: 1 to 128 letters, digits or . _ : / -");
    }
    if (namespace == null || namespace.isBlank()) {
      throw new InvalidRequestException("namespace is required");
    }
    if (value == null || value.isBlank()) {
      throw new InvalidRequestException("value is required and must not be blank");
    }
    if (value.indexOf('\0') >= 0) throw new InvalidRequestException("value contains NUL");
  }

  @Override
  public String toString() {
    return "SubjectRequest[requestId="
        + requestId
        + ", namespace="
        + namespace
        + ", action="
        + action.word()
        + ", dryRun="
        + dryRun
        + ", value=<redacted>]";
  }
}
