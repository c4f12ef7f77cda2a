package dev.ddbwarehouse.config;

import dev.ddbwarehouse.core.InvalidConfigurationException;
import dev.ddbwarehouse.core.policy.MappingDocument;
import dev.ddbwarehouse.core.policy.TtlDeletes;
import dev.ddbwarehouse.core.pseudonym.KeyRing;
import dev.ddbwarehouse.core.table.Mapping;
import dev.ddbwarehouse.db.DatabaseCredentials;
import dev.ddbwarehouse.db.DatabaseSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Everything the function needs, read once per execution environment and immutable after.
 *
 * <p>Two ways to configure it, told apart by which keys are set:
 *
 * <ul>
 *   <li>AWS (the deployed function): {@value #CONFIG_PARAMETER}, {@value #HMAC_SECRET_ID}, {@value
 *       #DB_SECRET_ID}; optional {@value #DB_SSL_MODE}, {@value #DB_PREPARE_THRESHOLD}, {@value
 *       #TTL_DELETES}, {@value #SECRETS_REFRESH_SECONDS}.
 *   <li>Local (tests, the local runtime): {@value #WAREHOUSE_JDBC_URL}, {@value
 *       #WAREHOUSE_DB_USER}, {@value #WAREHOUSE_DB_PASSWORD}, {@value #HMAC_SECRET_FILE}; optional
 *       {@value #MAPPING_FILE}, {@value #DB_SSL_MODE}, {@value #DB_PREPARE_THRESHOLD}, {@value
 *       #TTL_DELETES}.
 * </ul>
 *
 * Every error names the key at fault; no error quotes a secret.
 */
public record EtlConfig(
    DatabaseCredentials database,
    KeyRing keys,
    Mapping mapping,
    String keysVersion,
    String mappingVersion) {

  /** The mapping version when no document is configured (local runs without MAPPING_FILE). */
  static final String BUILT_IN = "built-in";

  public static final String CONFIG_PARAMETER = "CONFIG_PARAMETER";
  public static final String HMAC_SECRET_ID = "HMAC_SECRET_ID";
  public static final String DB_SECRET_ID = "DB_SECRET_ID";
  public static final String DB_SSL_MODE = "DB_SSL_MODE";
  public static final String DB_PREPARE_THRESHOLD = "DB_PREPARE_THRESHOLD";
  public static final String TTL_DELETES = "TTL_DELETES";
  public static final String SECRETS_REFRESH_SECONDS = "SECRETS_REFRESH_SECONDS";

  public static final String WAREHOUSE_JDBC_URL = "WAREHOUSE_JDBC_URL";
  public static final String WAREHOUSE_DB_USER = "WAREHOUSE_DB_USER";
  public static final String WAREHOUSE_DB_PASSWORD = "WAREHOUSE_DB_PASSWORD";
  public static final String HMAC_SECRET_FILE = "HMAC_SECRET_FILE";
  public static final String MAPPING_FILE = "MAPPING_FILE";

  /** The keys the deployed function reads (the SAM template sets exactly these). */
  public static final Set<String> ENVIRONMENT_KEYS =
      Set.of(
          CONFIG_PARAMETER,
          HMAC_SECRET_ID,
          DB_SECRET_ID,
          DB_SSL_MODE,
          DB_PREPARE_THRESHOLD,
          TTL_DELETES,
          SECRETS_REFRESH_SECONDS);

  /** The keys a local run reads. */
  public static final Set<String> LOCAL_KEYS =
      Set.of(
          WAREHOUSE_JDBC_URL,
          WAREHOUSE_DB_USER,
          WAREHOUSE_DB_PASSWORD,
          HMAC_SECRET_FILE,
          MAPPING_FILE,
          DB_SSL_MODE,
          DB_PREPARE_THRESHOLD,
          TTL_DELETES);

  /** SSL mode of the deployed function unless {@value #DB_SSL_MODE} says otherwise. */
  public static final String DEFAULT_AWS_SSL_MODE = "verify-full";

  /**
   * Reads the configuration. {@code aws} supplies the AWS-backed source; it is called only when the
   * AWS keys are in use, so local runs never build an SDK client.
   */
  public static EtlConfig fromEnv(Map<String, String> env, Supplier<ConfigSource> aws) {
    Env e = new Env(env);
    if (e.optional(WAREHOUSE_JDBC_URL) != null) return local(e);
    if (e.optional(DB_SECRET_ID) != null || e.optional(HMAC_SECRET_ID) != null)
      return aws(e, aws.get());
    throw new InvalidConfigurationException(
        "no warehouse configured: set "
            + DB_SECRET_ID
            + ", "
            + HMAC_SECRET_ID
            + " and "
            + CONFIG_PARAMETER
            + " (AWS), or "
            + WAREHOUSE_JDBC_URL
            + " and "
            + HMAC_SECRET_FILE
            + " (local)");
  }

  private static EtlConfig local(Env e) {
    ConfigSource files = new FileConfigSource(HMAC_SECRET_FILE);
    String secretFile = e.required(HMAC_SECRET_FILE);
    ConfigSource.Versioned secret = files.secretVersioned(secretFile);
    KeyRing keys =
        KeyRing.parse(secret.value(), "file " + secretFile + " (" + HMAC_SECRET_FILE + ")");
    String mappingFile = e.optional(MAPPING_FILE);
    ConfigSource.Versioned document =
        mappingFile == null
            ? null
            : new FileConfigSource(MAPPING_FILE).parameterVersioned(mappingFile);
    Mapping mapping =
        document == null
            ? MappingDocument.defaults()
            : MappingDocument.parse(
                document.value(), "file " + mappingFile + " (" + MAPPING_FILE + ")");
    DatabaseSettings db =
        new DatabaseSettings(
            e.required(WAREHOUSE_JDBC_URL),
            e.required(WAREHOUSE_DB_USER),
            e.optional(WAREHOUSE_DB_PASSWORD),
            e.optional(DB_SSL_MODE),
            null,
            e.integer(DB_PREPARE_THRESHOLD, 5, 0, 1_000_000));
    return new EtlConfig(
        DatabaseCredentials.fixed(db),
        keys,
        withTtl(mapping, e),
        secret.version(),
        document == null ? BUILT_IN : document.version());
  }

  private static EtlConfig aws(Env e, ConfigSource source) {
    String secretId = e.required(HMAC_SECRET_ID);
    String dbSecretId = e.required(DB_SECRET_ID);
    String parameter = e.required(CONFIG_PARAMETER);
    String sslMode = e.optionalOr(DB_SSL_MODE, DEFAULT_AWS_SSL_MODE);
    int prepareThreshold = e.integer(DB_PREPARE_THRESHOLD, 5, 0, 1_000_000);
    Duration refresh = Duration.ofSeconds(e.integer(SECRETS_REFRESH_SECONDS, 0, 0, 86_400));

    ConfigSource.Versioned secret = read(HMAC_SECRET_ID, () -> source.secretVersioned(secretId));
    KeyRing keys = KeyRing.parse(secret.value(), secretId + " (" + HMAC_SECRET_ID + ")");
    ConfigSource.Versioned document =
        read(CONFIG_PARAMETER, () -> source.parameterVersioned(parameter));
    Mapping mapping =
        MappingDocument.parse(document.value(), parameter + " (" + CONFIG_PARAMETER + ")");
    DatabaseCredentials db =
        new SecretBackedCredentials(
            () ->
                RdsSecret.parse(
                    read(DB_SECRET_ID, () -> source.secret(dbSecretId)),
                    dbSecretId + " (" + DB_SECRET_ID + ")",
                    sslMode,
                    RdsCaBundle.pathFor(sslMode),
                    prepareThreshold),
            refresh,
            Clock.systemUTC());
    return new EtlConfig(db, keys, withTtl(mapping, e), secret.version(), document.version());
  }

  /**
   * {@value #SECRETS_REFRESH_SECONDS} as a duration: how often a running function re-reads its
   * secrets and mapping document (zero: only after a SnapStart restore).
   */
  public static Duration refreshInterval(Map<String, String> env) {
    return Duration.ofSeconds(new Env(env).integer(SECRETS_REFRESH_SECONDS, 0, 0, 86_400));
  }

  /**
   * Where {@link #reload} reads from for this environment: the files of a local run, else {@code
   * aws} (called once; the caller keeps the source for every later reload).
   */
  public static ConfigSource source(Map<String, String> env, Supplier<ConfigSource> aws) {
    return new Env(env).optional(WAREHOUSE_JDBC_URL) != null
        ? new FileConfigSource(HMAC_SECRET_FILE)
        : aws.get();
  }

  /**
   * The key ring and the mapping document read again (a rotation, an SSM change): empty when
   * neither version changed, and then nothing is parsed; the database settings stay (their secret
   * has its own refresh). A changed part is parsed and checked as at start-up.
   *
   * @throws InvalidConfigurationException naming the key when what changed is unreadable or invalid
   */
  public java.util.Optional<EtlConfig> reload(Map<String, String> env, ConfigSource source) {
    Env e = new Env(env);
    boolean local = e.optional(WAREHOUSE_JDBC_URL) != null;
    String secretKey = local ? HMAC_SECRET_FILE : HMAC_SECRET_ID;
    String secretId = e.required(secretKey);
    String documentKey = local ? MAPPING_FILE : CONFIG_PARAMETER;
    String documentId = local ? e.optional(MAPPING_FILE) : e.required(CONFIG_PARAMETER);
    ConfigSource.Versioned secret = read(secretKey, () -> source.secretVersioned(secretId));
    ConfigSource.Versioned document =
        documentId == null ? null : read(documentKey, () -> source.parameterVersioned(documentId));
    String documentVersion = document == null ? BUILT_IN : document.version();
    boolean sameKeys = secret.version().equals(keysVersion);
    boolean sameDocument = documentVersion.equals(mappingVersion);
    if (sameKeys && sameDocument) return java.util.Optional.empty();
    KeyRing newKeys =
        sameKeys ? keys : KeyRing.parse(secret.value(), secretId + " (" + secretKey + ")");
    Mapping newMapping =
        sameDocument
            ? mapping
            : withTtl(
                document == null
                    ? MappingDocument.defaults()
                    : MappingDocument.parse(
                        document.value(), documentId + " (" + documentKey + ")"),
                e);
    return java.util.Optional.of(
        new EtlConfig(database, newKeys, newMapping, secret.version(), documentVersion));
  }

  /** Prefixes a source's error with the key that named what was read. */
  private static <T> T read(String key, Supplier<T> reader) {
    try {
      return reader.get();
    } catch (InvalidConfigurationException ex) {
      throw new InvalidConfigurationException(key + ": " + ex.getMessage(), ex);
    }
  }

  private static Mapping withTtl(Mapping mapping, Env e) {
    String ttl = e.optional(TTL_DELETES);
    return ttl == null ? mapping : mapping.withTtlDeletes(TtlDeletes.parse(ttl, TTL_DELETES));
  }

  /** Environment access that names the key in every error. */
  private record Env(Map<String, String> values) {
    String optional(String key) {
      String v = values.get(key);
      return v == null || v.isBlank() ? null : v.strip();
    }

    String optionalOr(String key, String fallback) {
      String v = optional(key);
      return v == null ? fallback : v;
    }

    String required(String key) {
      String v = optional(key);
      if (v == null) throw new InvalidConfigurationException(key + " is required but not set");
      return v;
    }

    int integer(String key, int fallback, int min, int max) {
      String v = optional(key);
      if (v == null) return fallback;
      try {
        int n = Integer.parseInt(v);
        if (n >= min && n <= max) return n;
      } catch (NumberFormatException ignored) {
        // reported below
      }
      throw new InvalidConfigurationException(
          key + " must be an integer from " + min + " to " + max + ", was \"" + v + "\"");
    }
  }
}
