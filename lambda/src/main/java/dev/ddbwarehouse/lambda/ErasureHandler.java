package dev.ddbwarehouse.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ddbwarehouse.aws.AwsConfigSource;
import dev.ddbwarehouse.config.EtlConfig;
import dev.ddbwarehouse.core.InvalidRequestException;
import dev.ddbwarehouse.core.erasure.SubjectRequest;
import dev.ddbwarehouse.core.json.JsonText;
import dev.ddbwarehouse.core.json.JsonValue;
import dev.ddbwarehouse.db.SingleConnection;
import dev.ddbwarehouse.db.TimeBudget;
import dev.ddbwarehouse.db.TransactionDeadline;
import dev.ddbwarehouse.observability.JsonLog;
import dev.ddbwarehouse.sink.jooq.KeyUsage;
import dev.ddbwarehouse.sink.jooq.SubjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The erasure function's entry point: data-subject requests ({@code
 * {"requestId":..,"namespace":..,"value":..,"action":"forget"|"export","dryRun":false}}) invoked
 * directly, or queued on SQS (then the response reports the messages that failed, for redelivery
 * and eventually the dead-letter queue). The HMAC key never leaves AWS: the pseudonyms are computed
 * here. A thin adapter over {@link SubjectStore}.
 */
public final class ErasureHandler implements RequestStreamHandler {

  private SubjectStore store;
  private dev.ddbwarehouse.core.table.Mapping mapping;
  private EtlConfig config;
  private final Map<String, String> env;
  private final java.util.function.Supplier<dev.ddbwarehouse.config.ConfigSource> sources;
  private final TimeBudget budget = new TimeBudget();
  private final SingleConnection connection;
  private final JsonLog log;
  private final Clock clock = Clock.systemUTC();

  /** For the Lambda runtime: configuration from the environment. */
  public ErasureHandler() {
    this(System.getenv(), System.out);
  }

  /**
   * Configuration from {@code env}, and the key ring and mapping document read again before every
   * request (only a changed version is parsed): an erasure must cover every key version the ring
   * has now, a rotation minutes ago included, and requests are rare enough for the two reads.
   */
  public ErasureHandler(Map<String, String> env, PrintStream logs) {
    this(env, logs, Once.of(() -> AwsConfigSource.fromEnvironment(env)));
  }

  private ErasureHandler(
      Map<String, String> env,
      PrintStream logs,
      java.util.function.Supplier<dev.ddbwarehouse.config.ConfigSource> aws) {
    this(EtlConfig.fromEnv(env, aws), logs, env, Once.of(() -> EtlConfig.source(env, aws)));
  }

  /** For tests: explicit configuration, never re-read, log lines to {@code logs}. */
  public ErasureHandler(EtlConfig config, PrintStream logs) {
    this(config, logs, null, null);
  }

  private ErasureHandler(
      EtlConfig config,
      PrintStream logs,
      Map<String, String> env,
      java.util.function.Supplier<dev.ddbwarehouse.config.ConfigSource> sources) {
    use(config);
    this.env = env;
    this.sources = sources;
    this.connection = new SingleConnection(config.database(), budget);
    this.log = new JsonLog(logs, clock);
  }

  private void use(EtlConfig c) {
    this.config = c;
    this.store = new SubjectStore(c.mapping(), c.keys());
    this.mapping = c.mapping();
  }

  /** A failure to read or parse a changed ring or document fails the request (it is retried). */
  private void refresh() {
    if (env == null) return;
    config.reload(env, sources.get()).ifPresent(this::use);
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    budget.begin(context == null ? 300_000 : context.getRemainingTimeInMillis());
    refresh();
    JsonValue root;
    try {
      root = JsonValue.parse(new String(input.readAllBytes(), StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("the request is not JSON");
    }
    String response =
        root.get("Records") instanceof JsonValue.Arr records ? queued(records) : direct(root);
    output.write(response.getBytes(StandardCharsets.UTF_8));
  }

  /** One request; a failure is the invocation's error (its message names no value). */
  private String direct(JsonValue root) {
    String action = root.text("action");
    if ("key-status".equals(action) || "release-key-version".equals(action)) {
      try {
        return keys(action, root);
      } catch (SQLException e) {
        connection.invalidate();
        throw new IllegalStateException(
            action + " failed in the warehouse (SQLSTATE " + e.getSQLState() + ")");
      }
    }
    SubjectRequest request = request(root);
    try {
      return run(request);
    } catch (SQLException e) {
      connection.invalidate();
      throw new IllegalStateException(
          "request "
              + request.requestId()
              + " failed in the warehouse (SQLSTATE "
              + e.getSQLState()
              + ")");
    }
  }

  /** An SQS batch: every message a request; the failed ones reported for redelivery. */
  private String queued(JsonValue.Arr records) {
    List<Map<String, String>> failures = new ArrayList<>();
    for (JsonValue record : records.items()) {
      String messageId = record.text("messageId");
      try {
        String body = record.text("body");
        if (body == null) throw new InvalidRequestException("the message has no body");
        JsonValue parsed;
        try {
          parsed = JsonValue.parse(body);
        } catch (JsonProcessingException e) {
          throw new InvalidRequestException("the message body is not JSON");
        }
        run(request(parsed));
      } catch (SQLException | RuntimeException e) {
        if (e instanceof SQLException) connection.invalidate();
        // Retried, then dead-lettered: a request is never dropped, whatever went wrong with it.
        log.warn(
            "data-subject request failed; reported for redelivery",
            Map.of("messageId", String.valueOf(messageId), "problem", problem(e)));
        failures.add(Map.of("itemIdentifier", String.valueOf(messageId)));
      }
    }
    return JsonText.write(Map.of("batchItemFailures", failures));
  }

  /**
   * The key lifecycle's warehouse side, for {@code gdpr.sh rotate-key | retire-key | key-status
   * --stage}: rows per key version ({@code "coverage": V} adds how many erasures predate V), or
   * releasing the deleted rows of a version about to leave the ring (refused while a live row uses
   * it). The secret itself is changed by the script: this function cannot write it.
   */
  private String keys(String action, JsonValue root) throws SQLException {
    Connection c = connection.get();
    try (TransactionDeadline deadline = TransactionDeadline.start(c, budget)) {
      List<KeyUsage.Count> counts = KeyUsage.count(c, mapping);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("action", action);
      if ("key-status".equals(action)) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (KeyUsage.Count n : counts) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("table", n.table());
          row.put("keyVersion", n.keyVersion());
          row.put("live", n.live());
          row.put("deleted", n.deleted());
          rows.add(row);
        }
        out.put("counts", rows);
        String coverage = root.text("coverage");
        if (coverage != null) {
          out.put("erasuresNotCovering", KeyUsage.erasuresNotCovering(c, coverage));
        }
        c.rollback();
        return JsonText.write(out);
      }
      String version = root.text("version");
      if (version == null) throw new InvalidRequestException("version is required");
      long live = 0;
      for (KeyUsage.Count n : counts) if (version.equals(n.keyVersion())) live += n.live();
      if (live > 0) {
        throw new InvalidRequestException(
            live + " live rows still carry key version " + version + ": re-key them first");
      }
      out.put("version", version);
      out.put("released", KeyUsage.releaseDeleted(c, mapping, version));
      c.commit();
      log.info("deleted rows of a retiring key version released", Map.of("version", version));
      return JsonText.write(out);
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    }
  }

  private String run(SubjectRequest request) throws SQLException {
    Connection c = connection.get();
    // Bounded by the invocation, as a batch is: an erasure waits for the batches in flight.
    try (TransactionDeadline deadline = TransactionDeadline.start(c, budget)) {
      return run(c, request);
    }
  }

  private String run(Connection c, SubjectRequest request) throws SQLException {
    if (request.action() == SubjectRequest.Action.EXPORT) {
      List<String> rows = new ArrayList<>();
      store.export(c, request, rows::add);
      log.info(
          "data-subject export",
          Map.of(
              "requestId",
              request.requestId(),
              "namespace",
              request.namespace(),
              "rows",
              rows.size()));
      StringBuilder out = new StringBuilder();
      out.append("{\"requestId\":").append(JsonText.write(request.requestId()));
      out.append(",\"action\":\"export\",\"rows\":[");
      for (int i = 0; i < rows.size(); i++) {
        if (i > 0) out.append(',');
        out.append(rows.get(i));
      }
      return out.append("]}").toString();
    }
    SubjectStore.ErasureReport report = store.forget(c, request, Instant.now(clock));
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("requestId", report.requestId());
    fields.put("namespace", report.namespace());
    fields.put("dryRun", report.dryRun());
    fields.put("rowsAffected", report.rowsAffected());
    fields.put("keyVersions", report.keyVersions());
    log.info("data-subject erasure", fields);
    return report.toJson();
  }

  private static SubjectRequest request(JsonValue root) {
    if (!(root instanceof JsonValue.Obj)) {
      throw new InvalidRequestException("the request must be a JSON object");
    }
    String action = root.text("action");
    return new SubjectRequest(
        root.text("requestId"),
        root.text("namespace"),
        root.text("value"),
        SubjectRequest.Action.parse(action == null ? "forget" : action),
        root.get("dryRun") instanceof JsonValue.Bool b && b.value());
  }

  /** Class and SQLSTATE or our own message, which never quotes a value. */
  private static String problem(Exception e) {
    if (e instanceof InvalidRequestException) return e.getMessage();
    if (e instanceof SQLException s) return "SQLSTATE " + s.getSQLState();
    return e.getClass().getName();
  }
}
