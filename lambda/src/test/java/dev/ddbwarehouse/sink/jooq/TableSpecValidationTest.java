package dev.ddbwarehouse.sink.jooq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbwarehouse.core.InvalidConfigurationException;
import dev.ddbwarehouse.core.policy.MappingDocument;
import dev.ddbwarehouse.core.table.Mapping;
import dev.ddbwarehouse.schema.jooq.DefaultCatalog;
import org.junit.jupiter.api.Test;

/**
 * The start-up check of every table entry against the jOOQ classes generated from the migrations:
 * each failure names the entry, the attribute and the problem.
 */
class TableSpecValidationTest {

  private static void validate(String json) {
    Mapping m = MappingDocument.parse(json, "test.json");
    JooqWarehouseSink.validate(m, DefaultCatalog.DEFAULT_CATALOG);
  }

  private static void assertRefused(String json, String... parts) {
    assertThatThrownBy(() -> validate(json))
        .isInstanceOf(InvalidConfigurationException.class)
        .satisfies(e -> assertThat(e.getMessage()).contains(parts));
  }

  /** A new table entry over the given target and attributes (key orderId kept). */
  private static String entry(String target, String attributes) {
    return """
        {"tables": {"orders": {"source": "orders", "target": "%s", "key": ["orderId"],
          "attributes": {"orderId": {"treatment": "keep", "column": "transaction_id"}%s}}}}
        """
        .formatted(target, attributes);
  }

  @Test
  void theBuiltInEntriesFitTheirTables() {
    JooqWarehouseSink.validate(MappingDocument.defaults(), DefaultCatalog.DEFAULT_CATALOG);
    validate("{\"tables\": {\"transactions\": {}, \"user_profiles\": {}}}");
  }

  @Test
  void aMissingTargetTable() {
    assertRefused(
        entry("warehouse.orders", ""),
        "mapping entry tables.orders",
        "target table warehouse.orders does not exist");
  }

  @Test
  void aMissingColumn() {
    assertRefused(
        entry(
            "warehouse.transactions",
            ", \"channel\": {\"treatment\": \"keep\", \"column\": \"sales_channel\"}"),
        "tables.orders: attributes.channel: column sales_channel does not exist in"
            + " warehouse.transactions");
  }

  @Test
  void aTreatmentWhoseOutputTheColumnCannotHold() {
    assertRefused(
        entry(
            "warehouse.transactions",
            ", \"age\": {\"treatment\": \"bucket\", \"width\": 10, \"column\": \"status\"}"),
        "attributes.age: column status of warehouse.transactions is",
        "treatment \"bucket\" writes an integer");
    assertRefused(
        entry(
            "warehouse.transactions",
            ", \"total\": {\"treatment\": \"keep\", \"column\": \"amount\"}"),
        "attributes.total: column amount",
        "treatment \"keep\" (type \"string\") writes text");
  }

  @Test
  void aTableWithoutTheBookkeepingColumns() {
    assertRefused(
        """
        {"tables": {"orders": {"source": "orders", "target": "etl.quarantine", "key": ["id"],
          "attributes": {"id": {"treatment": "keep", "column": "event_id"}}}}}
        """,
        "tables.orders: etl.quarantine lacks the bookkeeping column");
  }

  @Test
  void keyColumnsThatAreNotThePrimaryKey() {
    assertRefused(
        """
        {"tables": {"orders": {"source": "orders", "target": "warehouse.transactions",
          "key": ["orderId"],
          "attributes": {"orderId": {"treatment": "keep", "column": "merchant_name"},
                         "tx": {"treatment": "keep", "column": "transaction_id"}}}}}
        """,
        "the primary key of warehouse.transactions must be exactly the key columns [merchant_name]");
  }

  @Test
  void twoAttributesFeedingOneColumnAndAnUnknownTreatmentFailAtParse() {
    assertRefused(
        entry(
            "warehouse.transactions",
            ", \"a\": {\"treatment\": \"keep\", \"column\": \"status\"},"
                + " \"b\": {\"treatment\": \"keep\", \"column\": \"status\"}"),
        "tables.orders: column status is fed by both attributes.a and attributes.b");
    assertRefused(
        entry("warehouse.transactions", ", \"a\": {\"treatment\": \"hash\"}"),
        "tables.orders: attributes.a: unknown treatment \"hash\"");
  }

  @Test
  void anExtraAttributeNeedsAJsonbExtraColumn() {
    assertRefused(
        """
        {"tables": {"user_profiles": {"attributes": {"plan": {"treatment": "extra"}}}}}
        """,
        "tables.user_profiles: treatment \"extra\" needs a jsonb column extra in"
            + " warehouse.user_profiles");
  }
}
