package dev.ddbwarehouse.core.transaction;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One warehouse row: typed, pseudonymised, nothing identifying left.
 *
 * @param version the item version the replay guard compares: updatedAt, else createdAt
 * @param extraJson allow-listed extra attributes as a JSON object, or null
 */
public record TransactionRow(
    String transactionId,
    String userPseudonym,
    String accountPseudonym,
    String counterpartyPseudonym,
    String emailPseudonym,
    String phonePseudonym,
    String ipNetwork,
    BigDecimal amount,
    String currency,
    String type,
    String status,
    String merchantName,
    String merchantCategoryCode,
    String country,
    List<String> tags,
    String extraJson,
    Instant createdAt,
    Instant updatedAt,
    String keyVersion,
    Instant version) {

  public TransactionRow {
    tags = tags == null ? null : List.copyOf(tags);
  }
}
