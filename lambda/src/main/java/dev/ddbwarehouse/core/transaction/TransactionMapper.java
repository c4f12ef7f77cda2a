package dev.ddbwarehouse.core.transaction;

import static dev.ddbwarehouse.core.ErrorCode.INVALID_IP_ADDRESS;
import static dev.ddbwarehouse.core.ErrorCode.INVALID_VALUE;
import static dev.ddbwarehouse.core.ErrorCode.MISSING_ATTRIBUTE;

import dev.ddbwarehouse.core.PoisonRecordException;
import dev.ddbwarehouse.core.item.AttributeValue;
import dev.ddbwarehouse.core.item.Item;
import dev.ddbwarehouse.core.policy.AttributeRule;
import dev.ddbwarehouse.core.policy.Column;
import dev.ddbwarehouse.core.policy.Policy;
import dev.ddbwarehouse.core.policy.Treatment;
import dev.ddbwarehouse.core.policy.VersionWindow;
import dev.ddbwarehouse.core.pseudonym.Pseudonymiser;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * Applies the policy to one item image: typed values for kept columns, pseudonyms for identifying
 * ones, networks for IP addresses; everything else dropped and named in the result.
 */
public final class TransactionMapper {

  /** A mapped image: the row and the attributes that were not stored. */
  public record Mapped(TransactionRow row, List<String> droppedAttributes) {}

  private final Policy policy;
  private final Map<Column, AttributeRule> byColumn;
  private final Pseudonymiser pseudonymiser;

  public TransactionMapper(Policy policy, Pseudonymiser pseudonymiser) {
    this.policy = policy;
    this.byColumn = policy.byColumn();
    this.pseudonymiser = pseudonymiser;
  }

  /** The attributes every image is expected to carry ({@link Policy#expectedAttributes()}). */
  public SortedSet<String> expectedAttributes() {
    return policy.expectedAttributes();
  }

  /** The source attribute that holds the transaction id (the table's partition key). */
  public String transactionIdAttribute() {
    return byColumn.get(Column.TRANSACTION_ID).attribute();
  }

  /** The transaction id of a key set or image, if it has a usable one. */
  public Optional<String> transactionId(Item item) {
    if (item == null) return Optional.empty();
    String attribute = transactionIdAttribute();
    return item.get(attribute)
        .filter(
            v ->
                v instanceof AttributeValue.S s
                    && !s.value().isBlank()
                    && s.value().indexOf('\0') < 0
                    && Values.isWellFormed(s.value()))
        .map(v -> ((AttributeValue.S) v).value());
  }

  /**
   * The version of an image, for deletes: updatedAt, else createdAt; empty if neither is usable.
   */
  public Optional<Instant> version(Item image) {
    if (image == null) return Optional.empty();
    try {
      Instant updated = optional(image, Column.UPDATED_AT, timestamp(Column.UPDATED_AT));
      return Optional.ofNullable(
          updated != null
              ? updated
              : optional(image, Column.CREATED_AT, timestamp(Column.CREATED_AT)));
    } catch (PoisonRecordException e) {
      return Optional.empty();
    }
  }

  public Mapped map(Item image) {
    String id = required(image, Column.TRANSACTION_ID, Values::string);
    if (id.isBlank()) {
      throw new PoisonRecordException(
          INVALID_VALUE,
          transactionIdAttribute(),
          "attribute " + transactionIdAttribute() + " is blank");
    }
    Map<Column, String> pseudonyms = new EnumMap<>(Column.class);
    List<String> dropped = new ArrayList<>();
    Map<String, AttributeValue> extra = new TreeMap<>();
    for (String name : image.names()) {
      AttributeRule rule = policy.rule(name).orElse(null);
      if (rule == null || rule.treatment() == Treatment.DROP) {
        dropped.add(name);
      } else if (rule.treatment() == Treatment.EXTRA) {
        extra.put(name, image.get(name).orElseThrow());
      } else if (rule.treatment() == Treatment.PSEUDONYMISE) {
        pseudonym(image, rule).ifPresent(p -> pseudonyms.put(rule.column(), p));
      }
    }
    if (!pseudonyms.containsKey(Column.USER_PSEUDONYM)) {
      String attribute = byColumn.get(Column.USER_PSEUDONYM).attribute();
      throw new PoisonRecordException(
          MISSING_ATTRIBUTE, attribute, "required attribute " + attribute + " is missing or empty");
    }
    Instant createdAt = required(image, Column.CREATED_AT, timestamp(Column.CREATED_AT));
    Instant updatedAt = optional(image, Column.UPDATED_AT, timestamp(Column.UPDATED_AT));
    BigDecimal amount = required(image, Column.AMOUNT, Values::amount);
    TransactionRow row =
        new TransactionRow(
            id,
            pseudonyms.get(Column.USER_PSEUDONYM),
            pseudonyms.get(Column.ACCOUNT_PSEUDONYM),
            pseudonyms.get(Column.COUNTERPARTY_PSEUDONYM),
            pseudonyms.get(Column.EMAIL_PSEUDONYM),
            pseudonyms.get(Column.PHONE_PSEUDONYM),
            ipNetwork(image),
            amount,
            required(image, Column.CURRENCY, Values::currency),
            optional(image, Column.TYPE, Values::string),
            optional(image, Column.STATUS, Values::string),
            optional(image, Column.MERCHANT_NAME, Values::string),
            optional(image, Column.MERCHANT_CATEGORY_CODE, Values::merchantCategoryCode),
            optional(image, Column.COUNTRY, Values::country),
            optional(image, Column.TAGS, Values::stringSet),
            extra.isEmpty() ? null : ExtraJson.write(extra),
            createdAt,
            updatedAt,
            pseudonymiser.keyVersion(),
            updatedAt != null ? updatedAt : createdAt);
    dropped.sort(null);
    return new Mapped(row, dropped);
  }

  private Optional<String> pseudonym(Item image, AttributeRule rule) {
    AttributeValue value = image.get(rule.attribute()).orElseThrow();
    if (value instanceof AttributeValue.Null) return Optional.empty();
    String normalised = rule.normaliser().apply(Values.string(rule.attribute(), value));
    if (normalised.isEmpty()) return Optional.empty(); // an empty value must not link every row
    return Optional.of(pseudonymiser.pseudonym(rule.namespace(), normalised));
  }

  private String ipNetwork(Item image) {
    String text = optional(image, Column.IP_NETWORK, Values::string);
    if (text == null || text.isBlank()) return null;
    String attribute = byColumn.get(Column.IP_NETWORK).attribute();
    return IpNetworks.generalise(text)
        .orElseThrow(
            () ->
                new PoisonRecordException(
                    INVALID_IP_ADDRESS,
                    attribute,
                    "attribute " + attribute + " is not an IPv4 or IPv6 address"));
  }

  /** How far an image's version may lie from the record's stamp (see {@link VersionWindow}). */
  public VersionWindow versionWindow() {
    return policy.versionWindow();
  }

  /** The source attribute the row's version came from: updatedAt if it has one, else createdAt. */
  public String versionAttribute(TransactionRow row) {
    return byColumn
        .get(row.updatedAt() != null ? Column.UPDATED_AT : Column.CREATED_AT)
        .attribute();
  }

  /** A timestamp reader in the epoch unit the mapping declares for the column's attribute. */
  private Reader<Instant> timestamp(Column column) {
    return (attribute, value) ->
        Values.timestamp(attribute, value, byColumn.get(column).epochUnit());
  }

  private interface Reader<T> {
    T read(String attribute, AttributeValue value);
  }

  private <T> T required(Item image, Column column, Reader<T> reader) {
    T value = optional(image, column, reader);
    if (value == null) {
      String attribute = byColumn.get(column).attribute();
      throw new PoisonRecordException(
          MISSING_ATTRIBUTE, attribute, "required attribute " + attribute + " is missing");
    }
    return value;
  }

  /** Null when the column is not mapped, the attribute is absent or DynamoDB NULL. */
  private <T> T optional(Item image, Column column, Reader<T> reader) {
    AttributeRule rule = byColumn.get(column);
    if (rule == null) return null;
    AttributeValue value = image.get(rule.attribute()).orElse(null);
    if (value == null || value instanceof AttributeValue.Null) return null;
    return reader.read(rule.attribute(), value);
  }
}
