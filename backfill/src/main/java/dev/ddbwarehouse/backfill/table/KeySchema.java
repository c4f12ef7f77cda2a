package dev.ddbwarehouse.backfill.table;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A table's primary key: partition key, optional sort key, with their scalar types. Two tables with
 * equal key schemas accept the same items, which is all a shadow table must share.
 */
public record KeySchema(Part partition, Part sort) {

  /** One key attribute. */
  public record Part(String name, ScalarAttributeType type) {
    public Part {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("key attribute name is required");
      }
      if (type == null || type == ScalarAttributeType.UNKNOWN_TO_SDK_VERSION) {
        throw new IllegalArgumentException(
            "key attribute " + name + " has no scalar type S, N or B");
      }
    }

    @Override
    public String toString() {
      return name + " (" + type + ")";
    }
  }

  public KeySchema {
    if (partition == null) {
      throw new IllegalArgumentException("a key schema needs a partition key");
    }
  }

  /** The key schema of a DescribeTable answer; attribute definitions give the types. */
  public static KeySchema of(
      List<KeySchemaElement> elements, List<AttributeDefinition> definitions) {
    Map<String, ScalarAttributeType> types =
        definitions.stream()
            .collect(
                Collectors.toMap(
                    AttributeDefinition::attributeName, AttributeDefinition::attributeType));
    Part hash = null;
    Part range = null;
    for (KeySchemaElement e : elements) {
      Part part = new Part(e.attributeName(), types.get(e.attributeName()));
      if (e.keyType() == KeyType.HASH) {
        hash = part;
      } else {
        range = part;
      }
    }
    return new KeySchema(hash, range);
  }

  public List<String> attributeNames() {
    return sort == null ? List.of(partition.name()) : List.of(partition.name(), sort.name());
  }

  public List<KeySchemaElement> elements() {
    KeySchemaElement hash =
        KeySchemaElement.builder().attributeName(partition.name()).keyType(KeyType.HASH).build();
    if (sort == null) {
      return List.of(hash);
    }
    return List.of(
        hash, KeySchemaElement.builder().attributeName(sort.name()).keyType(KeyType.RANGE).build());
  }

  /**
   * Definitions of the key attributes only: CreateTable rejects definitions no key uses, and the
   * source's index keys have no place on a shadow table without indexes.
   */
  public List<AttributeDefinition> definitions() {
    return (sort == null ? List.of(partition) : List.of(partition, sort))
        .stream()
            .map(
                p ->
                    AttributeDefinition.builder()
                        .attributeName(p.name())
                        .attributeType(p.type())
                        .build())
            .toList();
  }

  @Override
  public String toString() {
    return sort == null ? "partition " + partition : "partition " + partition + ", sort " + sort;
  }
}
