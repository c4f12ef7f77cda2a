package dev.ddbwarehouse.backfill.verify;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An item's version as the function computes it: the first of the version attributes (updatedAt,
 * else createdAt) that holds ISO-8601 with an offset (S) or epoch milliseconds (N), to the
 * microsecond the warehouse stores. Empty when none is usable: the item is then compared by
 * presence alone.
 */
public record ItemVersion(List<String> attributes) {

  public ItemVersion {
    if (attributes.isEmpty()) {
      throw new IllegalArgumentException("at least one version attribute is required");
    }
    attributes = List.copyOf(attributes);
  }

  public static ItemVersion defaults() {
    return new ItemVersion(List.of("updatedAt", "createdAt"));
  }

  public Optional<Instant> of(Map<String, AttributeValue> item) {
    for (String name : attributes) {
      AttributeValue value = item.get(name);
      if (value == null) {
        continue;
      }
      Optional<Instant> parsed = parse(value);
      if (parsed.isPresent()) {
        return parsed;
      }
    }
    return Optional.empty();
  }

  static Optional<Instant> parse(AttributeValue value) {
    try {
      if (value.s() != null) {
        return Optional.of(
            OffsetDateTime.parse(value.s().strip()).toInstant().truncatedTo(ChronoUnit.MICROS));
      }
      if (value.n() != null) {
        return Optional.of(Instant.ofEpochMilli(Long.parseLong(value.n().strip())));
      }
    } catch (DateTimeException | NumberFormatException e) {
      // Not a version the function accepts either; it quarantines such an item.
    }
    return Optional.empty();
  }
}
