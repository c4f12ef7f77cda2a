package dev.ddbwarehouse.backfill.table;

import dev.ddbwarehouse.backfill.BackfillException.Refused;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.Tag;

/**
 * Creates and recognises shadow tables: same key schema as the source, on-demand billing, a
 * NEW_IMAGE stream, and tags that name the source. Teardown deletes only tables carrying those
 * tags, so a mistyped name can never delete a production table.
 */
public final class ShadowTables {

  /** Names the source table a shadow was made for; its presence marks a table as a shadow. */
  public static final String TAG_SHADOW_OF = "ddb-warehouse:backfill-shadow-of";

  public static final String TAG_PURPOSE = "ddb-warehouse:purpose";

  private static final Duration ACTIVE_TIMEOUT = Duration.ofMinutes(5);

  private final Tables tables;

  public ShadowTables(Tables tables) {
    this.tables = tables;
  }

  /** What {@link #create} did. */
  public record Created(TableInfo shadow, boolean existed) {}

  /** The conventional name of the shadow of {@code source}. */
  public static String defaultName(String source) {
    return source + "-backfill";
  }

  /**
   * Creates the shadow of {@code source}, or accepts an existing one with the same key schema and a
   * stream carrying new images (so running it twice is harmless).
   */
  public Created create(String source, String shadow) {
    if (source.equals(shadow)) {
      throw new Refused("the shadow table must not be the source table (" + source + ")");
    }
    TableInfo src = tables.describe(source);
    Optional<TableInfo> existing = tables.find(shadow);
    if (existing.isPresent()) {
      return new Created(requireCompatible(src, existing.get()), true);
    }
    AwsErrors.call(
        "CreateTable",
        shadow,
        () ->
            tables
                .client()
                .createTable(
                    b ->
                        b.tableName(shadow)
                            .keySchema(src.keySchema().elements())
                            .attributeDefinitions(src.keySchema().definitions())
                            .billingMode(BillingMode.PAY_PER_REQUEST)
                            .streamSpecification(
                                StreamSpecification.builder()
                                    .streamEnabled(true)
                                    .streamViewType(StreamViewType.NEW_IMAGE)
                                    .build())
                            .tags(tags(source))));
    return new Created(tables.awaitActive(shadow, ACTIVE_TIMEOUT), false);
  }

  static List<Tag> tags(String source) {
    return List.of(
        Tag.builder().key(TAG_SHADOW_OF).value(source).build(),
        Tag.builder().key(TAG_PURPOSE).value("backfill").build());
  }

  /** An existing shadow is usable only with the source's key schema and a stream of new images. */
  public static TableInfo requireCompatible(TableInfo source, TableInfo shadow) {
    if (!source.keySchema().equals(shadow.keySchema())) {
      throw new Refused(
          "table "
              + shadow.name()
              + " exists with key schema ["
              + shadow.keySchema()
              + "], but source "
              + source.name()
              + " has ["
              + source.keySchema()
              + "]; pick another --shadow name or delete it");
    }
    if (!shadow.hasStream() || !shadow.streamCarriesNewImage()) {
      throw new Refused(
          "table "
              + shadow.name()
              + " exists but has no stream of new images ("
              + shadow.streamView()
              + "); enable NEW_IMAGE on it or pick another --shadow name");
    }
    return shadow;
  }

  /**
   * The shadow, after checking it is tagged as the shadow of {@code source} (when given). Where the
   * endpoint has no tagging API (DynamoDB Local), a table is taken for a shadow by its shape
   * instead: it has the NEW_IMAGE stream create-shadow gives it.
   */
  public TableInfo requireShadow(String shadow, String source) {
    TableInfo info = tables.describe(shadow);
    Optional<Map<String, String>> tags = tables.tags(info);
    if (tags.isEmpty()) {
      if (info.streamView() != StreamViewType.NEW_IMAGE || shadow.equals(source)) {
        throw new Refused(
            "table "
                + shadow
                + " does not look like a shadow made by create-shadow (stream "
                + info.streamView()
                + ")");
      }
      return info;
    }
    String of = tags.get().get(TAG_SHADOW_OF);
    if (of == null) {
      throw new Refused(
          "table "
              + shadow
              + " is not tagged "
              + TAG_SHADOW_OF
              + ": only tables made by create-shadow are"
              + " written or deleted by the backfill");
    }
    if (source != null && !source.equals(of)) {
      throw new Refused("table " + shadow + " is the shadow of " + of + ", not of " + source);
    }
    return info;
  }
}
