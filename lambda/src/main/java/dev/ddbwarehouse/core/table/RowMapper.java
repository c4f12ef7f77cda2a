package dev.ddbwarehouse.core.table;

import static dev.ddbwarehouse.core.ErrorCode.INVALID_IP_ADDRESS;
import static dev.ddbwarehouse.core.ErrorCode.INVALID_VALUE;
import static dev.ddbwarehouse.core.ErrorCode.MISSING_ATTRIBUTE;

import dev.ddbwarehouse.core.PoisonRecordException;
import dev.ddbwarehouse.core.item.Attributes;
import dev.ddbwarehouse.core.item.DynamoValue;
import dev.ddbwarehouse.core.item.Item;
import dev.ddbwarehouse.core.item.NameIndex;
import dev.ddbwarehouse.core.policy.AttributeRule;
import dev.ddbwarehouse.core.policy.Treatment;
import dev.ddbwarehouse.core.pseudonym.Pseudonymiser;
import dev.ddbwarehouse.core.value.ExtraJson;
import dev.ddbwarehouse.core.value.IpNetworks;
import dev.ddbwarehouse.core.value.TextForm;
import dev.ddbwarehouse.core.value.ValueReaders;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Applies one table's rules to an item image: typed values for kept columns, pseudonyms for
 * identifying ones, generalised values where declared; everything else dropped and named in the
 * result. The same code for every table: what differs is the {@link TableSpec}.
 */
public final class RowMapper {

  /** A mapped image: the row and the attributes that were not stored. */
  public record Mapped(TableRow row, List<String> droppedAttributes) {}

  private final TableSpec table;
  private final Pseudonymiser pseudonymiser;
  private final Pseudonymiser suppression;
  private final boolean keyHasPseudonym;
  private final AttributeRule[] columns;
  private final boolean[] required;
  private final int keySize;
  private final int extraIndex;
  private final AttributeRule[] versions;

  /**
   * The table's rule attributes, and for each its column, or {@link #EXTRA} or {@link #DROPPED}.
   */
  private final NameIndex ruleIndex;

  private final int[] slots;
  private static final int EXTRA = -1;
  private static final int DROPPED = -2;

  public RowMapper(TableSpec table, Pseudonymiser pseudonymiser) {
    this.table = table;
    this.pseudonymiser = pseudonymiser;
    this.suppression = pseudonymiser.suppression();
    this.keyHasPseudonym = table.keyIsPseudonymised();
    List<AttributeRule> rules = table.columnRules();
    this.columns = rules.toArray(AttributeRule[]::new);
    this.keySize = table.keyAttributes().size();
    this.required = new boolean[columns.length];
    for (int i = 0; i < columns.length; i++) required[i] = i < keySize || columns[i].required();
    this.extraIndex = table.hasExtra() ? columns.length : -1;
    this.ruleIndex = new NameIndex(table.rules().size());
    this.slots = new int[table.rules().size()];
    for (AttributeRule rule : table.rules().values()) {
      int column = rules.indexOf(rule);
      slots[ruleIndex.add(rule.attribute())] =
          column >= 0 ? column : rule.treatment() == Treatment.EXTRA ? EXTRA : DROPPED;
    }
    this.versions =
        table.versionAttributes().stream()
            .map(a -> table.rule(a).orElse(AttributeRule.drop(a)))
            .toArray(AttributeRule[]::new);
  }

  public TableSpec table() {
    return table;
  }

  public Mapped map(Item image) {
    String[] values = new String[columns.length + (extraIndex >= 0 ? 1 : 0)];
    // The same array when the pseudonyms are their own suppression tokens (no rotation since the
    // suppression version): the erasure check then costs no HMAC.
    String[] tokens = suppression == pseudonymiser ? values : new String[values.length];
    Object[] key = new Object[keySize];
    // One pass over the image's attributes: each to its column, to extra, or to the dropped list.
    Attributes attributes = image.compact();
    DynamoValue[] found = new DynamoValue[columns.length];
    List<String> dropped = new ArrayList<>();
    Map<String, DynamoValue> extra = null;
    for (int a = 0; a < attributes.size(); a++) {
      String name = attributes.name(a);
      int at = ruleIndex.indexOf(name);
      int slot = at < 0 ? DROPPED : slots[at];
      if (slot >= 0) {
        found[slot] = attributes.value(a);
      } else if (slot == EXTRA) {
        if (extra == null) extra = new TreeMap<>();
        extra.put(name, attributes.value(a));
      } else {
        dropped.add(name);
      }
    }
    for (int i = 0; i < columns.length; i++) {
      AttributeRule rule = columns[i];
      DynamoValue value = found[i];
      Object typed =
          value == null || value instanceof DynamoValue.Null
              ? null
              : typed(rule, value, i < keySize, pseudonymiser);
      if (typed == null) {
        if (required[i]) throw missing(rule);
        continue;
      }
      if (i < keySize) key[i] = typed;
      values[i] = TextForm.of(typed);
      if (tokens != values && rule.treatment() == Treatment.PSEUDONYMISE) {
        tokens[i] = pseudonym(rule, value, suppression);
      }
    }
    if (extra != null) values[extraIndex] = ExtraJson.write(extra);
    dropped.sort(null);
    Instant version = null;
    String versionAttribute = null;
    for (AttributeRule v : versions) {
      DynamoValue value = image.attributes().get(v.attribute());
      if (value == null || value instanceof DynamoValue.Null) continue;
      version = ValueReaders.timestamp(v.attribute(), value, v.epochUnit());
      versionAttribute = v.attribute();
      break;
    }
    TableRow row =
        new TableRow(
            table,
            new RowKey(List.of(key)),
            version,
            versionAttribute,
            pseudonymiser.keyVersion(),
            values,
            tokens,
            olderKeys(image));
    return new Mapped(row, dropped);
  }

  /** The warehouse key of a key set or image, if it has a usable one; never throws. */
  public Optional<RowKey> key(Item item) {
    return key(item, pseudonymiser);
  }

  /**
   * The key of a key set or image as the erasure check looks it up: pseudonym parts under the
   * ring's suppression version. Empty as {@link #key(Item)} is.
   */
  public Optional<RowKey> suppressionKey(Item item) {
    return key(item, suppression);
  }

  /**
   * The image's key under each older version of the ring, when the key holds a pseudonym: a
   * rotation changes such a key, so re-keying moves the row rather than rewriting it in place.
   */
  private List<RowKey> olderKeys(Item image) {
    if (!keyHasPseudonym || pseudonymiser.older().isEmpty()) return List.of();
    List<RowKey> out = new ArrayList<>();
    for (Pseudonymiser p : pseudonymiser.older()) key(image, p).ifPresent(out::add);
    return out;
  }

  /** Whether {@link #suppressionKey} can differ from {@link #key}. */
  public boolean keyHasTokens() {
    return suppression != pseudonymiser && keyHasPseudonym;
  }

  private Optional<RowKey> key(Item item, Pseudonymiser keys) {
    if (item == null) return Optional.empty();
    Object[] key = new Object[keySize];
    for (int i = 0; i < keySize; i++) {
      DynamoValue value = item.attributes().get(columns[i].attribute());
      if (value == null || value instanceof DynamoValue.Null) return Optional.empty();
      try {
        key[i] = typed(columns[i], value, true, keys);
      } catch (PoisonRecordException e) {
        return Optional.empty();
      }
      if (key[i] == null) return Optional.empty();
    }
    return Optional.of(new RowKey(List.of(key)));
  }

  /** The version of an image (for deletes): the first version attribute it has that is usable. */
  public Optional<Instant> version(Item image) {
    if (image == null) return Optional.empty();
    for (AttributeRule v : versions) {
      DynamoValue value = image.attributes().get(v.attribute());
      if (value == null || value instanceof DynamoValue.Null) continue;
      try {
        return Optional.of(ValueReaders.timestamp(v.attribute(), value, v.epochUnit()));
      } catch (PoisonRecordException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** The first key attribute (for messages about a record without a usable key). */
  public String keyAttributes() {
    return String.join(", ", table.keyAttributes());
  }

  /** Null when the value leaves the column empty (an empty identifier, an unlisted value). */
  private Object typed(
      AttributeRule rule, DynamoValue value, boolean isKey, Pseudonymiser pseudonyms) {
    String attribute = rule.attribute();
    Object typed =
        switch (rule.treatment()) {
          case KEEP -> rule.type().read(attribute, value, rule.epochUnit());
          case PSEUDONYMISE -> pseudonym(rule, value, pseudonyms);
          case GENERALISE_IP -> ipNetwork(rule, value);
          case TRUNCATE, BUCKET, ALLOW_LIST ->
              rule.generalisation().apply(attribute, value, rule.epochUnit());
          case DROP, EXTRA -> throw new IllegalStateException("writes no column");
        };
    if (!isKey) return typed;
    if (typed instanceof String s && s.isBlank()) {
      throw new PoisonRecordException(
          INVALID_VALUE, attribute, "attribute " + attribute + " is blank");
    }
    // One key, one row: DynamoDB holds 1 and 1.0 as one number.
    return typed instanceof BigDecimal d ? d.stripTrailingZeros() : typed;
  }

  private static String pseudonym(AttributeRule rule, DynamoValue value, Pseudonymiser pseudonyms) {
    String normalised = rule.normalise(ValueReaders.string(rule.attribute(), value));
    if (normalised.isEmpty()) return null; // an empty value must not link every row
    return pseudonyms.pseudonym(rule.namespace(), normalised);
  }

  private static String ipNetwork(AttributeRule rule, DynamoValue value) {
    String text = ValueReaders.string(rule.attribute(), value);
    if (text.isBlank()) return null;
    return IpNetworks.generalise(text)
        .orElseThrow(
            () ->
                new PoisonRecordException(
                    INVALID_IP_ADDRESS,
                    rule.attribute(),
                    "attribute " + rule.attribute() + " is not an IPv4 or IPv6 address"));
  }

  private static PoisonRecordException missing(AttributeRule rule) {
    String attribute = rule.attribute();
    String what =
        rule.treatment() == Treatment.PSEUDONYMISE ? " is missing or empty" : " is missing";
    return new PoisonRecordException(
        MISSING_ATTRIBUTE, attribute, "required attribute " + attribute + what);
  }
}
