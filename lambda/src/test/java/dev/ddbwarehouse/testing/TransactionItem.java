package dev.ddbwarehouse.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A source transaction in DynamoDB JSON, with realistic defaults that tests override. */
public final class TransactionItem {

  private final Map<String, Object> attributes = new LinkedHashMap<>();

  private TransactionItem() {}

  public static TransactionItem of(String transactionId) {
    return new TransactionItem()
        .s("transactionId", transactionId)
        .s("userId", "user-" + transactionId)
        .s("accountId", "acc-" + transactionId)
        .s("counterpartyIban", "DE89 3704 0044 0532 0130 00")
        .s("counterpartyName", "Erika Mustermann")
        .s("email", "someone@example.com")
        .s("phone", "+49 151 1234 5678")
        .s("ipAddress", "203.0.113.77")
        .n("amount", "12.50")
        .s("currency", "EUR")
        .s("type", "CARD_PAYMENT")
        .s("status", "PENDING")
        .s("merchantName", "Coffee Corner")
        .s("merchantCategoryCode", "5814")
        .s("country", "DE")
        .put("tags", Map.of("SS", List.of("coffee", "weekday")))
        .s("createdAt", "2026-01-01T10:00:00Z")
        .s("updatedAt", "2026-01-01T10:00:00Z")
        .put("metadata", Map.of("M", Map.of("device", Map.of("S", "ios"))));
  }

  public TransactionItem s(String name, String value) {
    return put(name, Map.of("S", value));
  }

  public TransactionItem n(String name, String value) {
    return put(name, Map.of("N", value));
  }

  public TransactionItem put(String name, Object dynamoJson) {
    attributes.put(name, dynamoJson);
    return this;
  }

  public TransactionItem without(String name) {
    attributes.remove(name);
    return this;
  }

  public TransactionItem copy() {
    TransactionItem c = new TransactionItem();
    c.attributes.putAll(attributes);
    return c;
  }

  public Map<String, Object> attributes() {
    return new LinkedHashMap<>(attributes);
  }

  public Map<String, Object> keys() {
    Object id = attributes.get("transactionId");
    return id == null ? Map.of() : Map.of("transactionId", id);
  }
}
