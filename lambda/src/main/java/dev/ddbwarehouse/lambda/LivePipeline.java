package dev.ddbwarehouse.lambda;

import dev.ddbwarehouse.aws.AwsConfigSource;
import dev.ddbwarehouse.config.ConfigSource;
import dev.ddbwarehouse.config.EtlConfig;
import dev.ddbwarehouse.core.InvalidConfigurationException;
import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.observability.BatchTelemetry;
import dev.ddbwarehouse.observability.JsonLog;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The pipeline an execution environment runs, kept current: after a SnapStart restore (a snapshot
 * carries the key ring and mapping document read at init, however old) and every {@code
 * SECRETS_REFRESH_SECONDS} when set, the key ring and the mapping document are read again; only a
 * changed version is parsed, and only a valid change replaces the pipeline. A change that fails its
 * checks keeps the last good configuration, logged as an error and counted ({@code
 * ConfigurationRefused}), instead of failing every invocation.
 */
final class LivePipeline {

  private final Map<String, String> env;
  private final BatchObserver observer;
  private final Supplier<ConfigSource> sources;
  private final Duration every;
  private final Clock clock;
  private final PrintStream logs;
  private final JsonLog log;
  private final BatchTelemetry telemetry;

  private volatile Pipeline current;
  private EtlConfig config;
  private Instant checked;
  private volatile boolean restored;

  private LivePipeline(
      Map<String, String> env,
      BatchObserver observer,
      Supplier<ConfigSource> sources,
      EtlConfig config,
      Pipeline pipeline,
      Duration every,
      Clock clock,
      PrintStream logs) {
    this.env = env;
    this.observer = observer;
    this.sources = sources;
    this.config = config;
    this.current = pipeline;
    this.every = every;
    this.clock = clock;
    this.logs = logs;
    this.log = new JsonLog(logs, clock);
    this.telemetry = new BatchTelemetry(log, clock, env.get("AWS_LAMBDA_FUNCTION_NAME"));
    this.checked = clock.instant();
  }

  /** As Lambda runs it: the configuration from the environment, logs on stdout. */
  static LivePipeline fromEnvironment(Map<String, String> env, BatchObserver observer) {
    return fromEnvironment(env, observer, System.out, Clock.systemUTC());
  }

  static LivePipeline fromEnvironment(
      Map<String, String> env, BatchObserver observer, PrintStream logs, Clock clock) {
    Supplier<ConfigSource> aws = Once.of(() -> AwsConfigSource.fromEnvironment(env));
    EtlConfig config = EtlConfig.fromEnv(env, aws);
    Pipeline pipeline = Pipeline.wire(config, observer, env.get("AWS_LAMBDA_FUNCTION_NAME"), logs);
    Supplier<ConfigSource> sources = Once.of(() -> EtlConfig.source(env, aws));
    return new LivePipeline(
        env, observer, sources, config, pipeline, EtlConfig.refreshInterval(env), clock, logs);
  }

  /** A pipeline that is never re-read (tests that wire their own). */
  static LivePipeline fixed(Pipeline pipeline) {
    return new LivePipeline(
        Map.of(),
        BatchObserver.NONE,
        null,
        null,
        pipeline,
        Duration.ZERO,
        Clock.systemUTC(),
        System.out);
  }

  /** The pipeline as it is now (warm-up, snapshot hooks). */
  Pipeline current() {
    return current;
  }

  /** After a SnapStart restore: the next invocation re-reads the configuration first. */
  void restored() {
    restored = true;
  }

  /** The pipeline for the invocation that starts now, re-read first when that is due. */
  Pipeline forInvocation() {
    if (config == null) return current;
    Instant now = clock.instant();
    boolean due = restored || (!every.isZero() && !now.isBefore(checked.plus(every)));
    if (due) {
      restored = false;
      checked = now;
      refresh();
    }
    return current;
  }

  private void refresh() {
    Optional<EtlConfig> next;
    Pipeline replacement;
    try {
      next = config.reload(env, sources.get());
      if (next.isEmpty()) return;
      // The same checks as at init, the mapping against the warehouse's tables included.
      replacement = Pipeline.wire(next.get(), observer, env.get("AWS_LAMBDA_FUNCTION_NAME"), logs);
    } catch (InvalidConfigurationException e) {
      refused(e.getMessage());
      return;
    } catch (RuntimeException e) {
      refused("unexpected " + e.getClass().getName());
      return;
    }
    Pipeline previous = current;
    EtlConfig before = config;
    config = next.get();
    current = replacement;
    previous.releaseConnection();
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("activeKeyVersion", config.keys().activeVersion());
    fields.put("keysChanged", !config.keysVersion().equals(before.keysVersion()));
    fields.put("mappingChanged", !config.mappingVersion().equals(before.mappingVersion()));
    log.info("configuration reloaded", fields);
  }

  /** Loud, but not fatal: the last good configuration stays in force. */
  private void refused(String problem) {
    log.error(
        "changed configuration refused; the function keeps running with the last good one",
        Map.of("problem", problem, "activeKeyVersion", config.keys().activeVersion()));
    telemetry.count(BatchTelemetry.CONFIGURATION_REFUSED);
  }
}
