package dev.ddbwarehouse.local.synth;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** One fake transaction in the source shape; every personal value in it is invented. */
public record SyntheticTransaction(
    String transactionId,
    FakePerson person,
    String counterpartyIban,
    String counterpartyName,
    String ipAddress,
    BigDecimal amount,
    String currency,
    String type,
    String status,
    String merchantName,
    String merchantCategoryCode,
    String country,
    List<String> tags,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt,
    Map<String, String> metadata) {

  public SyntheticTransaction {
    Objects.requireNonNull(transactionId, "transactionId");
    Objects.requireNonNull(person, "person");
    tags = List.copyOf(tags);
    metadata = Map.copyOf(metadata);
  }

  /** The values the warehouse must never hold in clear: the leak check searches for each. */
  public List<String> identifyingValues() {
    return List.of(
        person.userId(),
        person.accountId(),
        counterpartyIban,
        counterpartyName,
        person.email(),
        person.phone(),
        ipAddress);
  }

  /** The DynamoDB item, attribute names as the default mapping expects them. */
  public Map<String, AttributeValue> toItem() {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("transactionId", s(transactionId));
    item.put("userId", s(person.userId()));
    item.put("accountId", s(person.accountId()));
    item.put("counterpartyIban", s(counterpartyIban));
    item.put("counterpartyName", s(counterpartyName));
    item.put("email", s(person.email()));
    item.put("phone", s(person.phone()));
    item.put("ipAddress", s(ipAddress));
    item.put("amount", AttributeValue.fromN(amount.toPlainString()));
    item.put("currency", s(currency));
    item.put("type", s(type));
    item.put("status", s(status));
    item.put("merchantName", s(merchantName));
    item.put("merchantCategoryCode", s(merchantCategoryCode));
    item.put("country", s(country));
    item.put("tags", AttributeValue.fromSs(tags));
    item.put("createdAt", s(createdAt.toString()));
    item.put("updatedAt", s(updatedAt.toString()));
    Map<String, AttributeValue> meta = new LinkedHashMap<>();
    metadata.forEach((k, v) -> meta.put(k, s(v)));
    item.put("metadata", AttributeValue.fromM(meta));
    return item;
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }
}
