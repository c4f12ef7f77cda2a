package dev.ddbwarehouse.observability;

import dev.ddbwarehouse.core.change.Change;
import dev.ddbwarehouse.core.pipeline.BatchOutcome;
import dev.ddbwarehouse.core.pipeline.BatchReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Logs each batch and emits its metrics in CloudWatch Embedded Metric Format: one log line that
 * CloudWatch turns into metrics without an API call. Counts and identifiers only.
 */
public final class BatchTelemetry {

  public static final String NAMESPACE = "DdbWarehouse";

  /** The one dimension of every metric: the function's name, as Lambda's own metrics have it. */
  public static final String DIMENSION = "FunctionName";

  /** Every metric a batch document can carry (CommitLag only for committed batches). */
  public static final Set<String> METRIC_NAMES =
      Set.of(
          "RecordsIn",
          "RecordsCommitted",
          "RecordsQuarantined",
          "RecordsIgnored",
          "DroppedAttributes",
          "BatchFailed",
          "MappedAttributeAbsent",
          "BatchDuration",
          "CommitLag");

  /** A changed key ring or mapping document that failed its checks (the last good one stays). */
  public static final String CONFIGURATION_REFUSED = "ConfigurationRefused";

  /** Metrics of events outside batches, one document each ({@link #count}). */
  public static final Set<String> EVENT_METRIC_NAMES = Set.of(CONFIGURATION_REFUSED);

  private final JsonLog log;
  private final Clock clock;
  private final String functionName;

  public BatchTelemetry(JsonLog log, Clock clock, String functionName) {
    this.log = log;
    this.clock = clock;
    this.functionName = functionName == null ? "local" : functionName;
  }

  /**
   * @param firstSequence the batch's first sequence number, or null for an empty batch
   * @param oldestChange the earliest ApproximateCreationDateTime in the batch, or null
   */
  public void record(
      BatchOutcome outcome, String firstSequence, String lastSequence, Instant oldestChange) {
    BatchReport r = outcome.report();
    for (Change.Quarantine q : outcome.quarantined()) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("eventId", q.meta().eventId());
      f.put("sequenceNumber", q.meta().sequenceNumber());
      f.put("errorCode", q.problem().code().name());
      if (q.problem().attribute() != null) f.put("attribute", q.problem().attribute());
      f.put("reason", q.problem().getMessage());
      log.warn("record quarantined", f);
    }
    for (String attribute : r.absentAttributes()) {
      // The name only: it comes from the mapping document, never from an item.
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("attribute", attribute);
      f.put("records", r.recordsIn());
      f.put("firstSequenceNumber", firstSequence);
      f.put("lastSequenceNumber", lastSequence);
      log.warn("mapped attribute absent from the whole batch", f);
    }
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("firstSequenceNumber", firstSequence);
    f.put("lastSequenceNumber", lastSequence);
    f.put("records", r.recordsIn());
    if (r.committed()) {
      f.put("upserted", r.upserted());
      f.put("deleted", r.deleted());
      f.put("ignored", r.ignored());
      f.put("quarantined", r.quarantined());
      f.put("quarantinedByCode", r.quarantinedByCode());
      f.put("droppedAttributes", r.droppedAttributes());
      f.put("durationMs", r.durationNanos() / 1_000_000);
      log.info("batch committed", f);
    } else {
      // Rolled back: "upserted" would claim writes that never happened. Name what was attempted.
      f.put("rolledBack", true);
      f.put("attemptedUpserts", r.upserted());
      f.put("attemptedDeletes", r.deleted());
      f.put("attemptedQuarantine", r.quarantined());
      f.put("durationMs", r.durationNanos() / 1_000_000);
      f.put("retryFrom", outcome.firstNotCommitted().orElse(null));
      f.put("failure", outcome.failure().orElse(null));
      log.warn("batch not committed; Lambda retries from retryFrom", f);
    }
    metrics(r, oldestChange);
  }

  private void metrics(BatchReport r, Instant oldestChange) {
    Instant now = clock.instant();
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("RecordsIn", r.recordsIn());
    values.put("RecordsCommitted", r.committed() ? r.upserted() + r.deleted() : 0);
    values.put("RecordsQuarantined", r.committed() ? r.quarantined() : 0);
    values.put("RecordsIgnored", r.ignored());
    values.put(
        "DroppedAttributes",
        r.droppedAttributes().values().stream().mapToInt(Integer::intValue).sum());
    values.put("BatchFailed", r.committed() ? 0 : 1);
    // Emitted as 0 too, so an alarm on its Minimum can tell "every batch" from "some batches".
    values.put("MappedAttributeAbsent", r.absentAttributes().size());
    values.put("BatchDuration", r.durationNanos() / 1_000_000.0);
    if (r.committed() && oldestChange != null) {
      values.put("CommitLag", Math.max(0, Duration.between(oldestChange, now).toMillis()));
    }
    List<Map<String, String>> definitions =
        values.keySet().stream()
            .map(
                name ->
                    Map.of(
                        "Name",
                        name,
                        "Unit",
                        name.equals("BatchDuration") || name.equals("CommitLag")
                            ? "Milliseconds"
                            : "Count"))
            .toList();
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put(
        "_aws",
        Map.of(
            "Timestamp",
            now.toEpochMilli(),
            "CloudWatchMetrics",
            List.of(
                Map.of(
                    "Namespace", NAMESPACE,
                    "Dimensions", List.of(List.of("FunctionName")),
                    "Metrics", definitions))));
    doc.put("FunctionName", functionName);
    doc.putAll(values);
    log.raw(doc);
  }

  /**
   * One occurrence of an event outside batches, as a Count metric (e.g. {@code
   * ConfigurationRefused}: a changed key ring or mapping document that failed its checks).
   */
  public void count(String metric) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put(
        "_aws",
        Map.of(
            "Timestamp",
            clock.instant().toEpochMilli(),
            "CloudWatchMetrics",
            List.of(
                Map.of(
                    "Namespace", NAMESPACE,
                    "Dimensions", List.of(List.of(DIMENSION)),
                    "Metrics", List.of(Map.of("Name", metric, "Unit", "Count"))))));
    doc.put(DIMENSION, functionName);
    doc.put(metric, 1);
    log.raw(doc);
  }
}
