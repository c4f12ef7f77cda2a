package dev.ddbwarehouse.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbwarehouse.core.InvalidConfigurationException;
import dev.ddbwarehouse.core.table.TableSpec;
import org.junit.jupiter.api.Test;

/** The per-table {@code quasiIdentifiers} declaration of the mapping document. */
class QuasiIdentifiersDeclarationTest {

  private static TableSpec table(String json, String name) {
    return MappingDocument.parse(json, "test").table(name).orElseThrow();
  }

  @Test
  void theBuiltInsDeclareTheProfileCohortAndTheTransactionsCountryAndCategory() {
    assertThat(MappingDocument.defaults().table("user_profiles").orElseThrow().quasiIdentifiers())
        .containsExactly("birth_year_band", "sex", "country", "signup_month");
    assertThat(MappingDocument.defaults().table("transactions").orElseThrow().quasiIdentifiers())
        .containsExactly("country", "merchant_category_code");
  }

  @Test
  void anEntryThatSaysNothingKeepsTheBuiltInList() {
    assertThat(table("{\"tables\": {\"user_profiles\": {}}}", "user_profiles").quasiIdentifiers())
        .containsExactly("birth_year_band", "sex", "country", "signup_month");
    assertThat(
            MappingDocument.parse("{\"attributes\": {}}", "v1")
                .table("transactions")
                .orElseThrow()
                .quasiIdentifiers())
        .as("a version 1 document is the transactions entry")
        .containsExactly("country", "merchant_category_code");
  }

  @Test
  void anEntryReplacesTheBuiltInListOrEmptiesIt() {
    assertThat(
            table(
                    "{\"tables\": {\"user_profiles\": {\"quasiIdentifiers\": [\"country\", \"sex\"]}}}",
                    "user_profiles")
                .quasiIdentifiers())
        .containsExactly("country", "sex");
    assertThat(
            table("{\"tables\": {\"transactions\": {\"quasiIdentifiers\": []}}}", "transactions")
                .quasiIdentifiers())
        .as("an empty list: the table is not checked")
        .isEmpty();
  }

  @Test
  void aBuiltInColumnTheOverrideNoLongerWritesLeavesTheInheritedList() {
    TableSpec t =
        table(
            """
            {"tables": {"user_profiles": {"attributes": {
              "birthDate": {"treatment": "drop"},
              "sex": {"treatment": "drop"}}}}}
            """,
            "user_profiles");

    assertThat(t.quasiIdentifiers()).containsExactly("country", "signup_month");
  }

  @Test
  void aNewTableDeclaresNoneUnlessItSaysSo() {
    String accounts =
        """
        {"tables": {"accounts": {"source": "accounts", "target": "warehouse.accounts",
          "key": ["accountId"], %s
          "attributes": {"accountId": {"treatment": "keep", "column": "account_id"},
                         "region": {"treatment": "keep", "column": "region"}}}}}
        """;
    assertThat(table(accounts.formatted(""), "accounts").quasiIdentifiers()).isEmpty();
    assertThat(
            table(accounts.formatted("\"quasiIdentifiers\": [\"region\"],"), "accounts")
                .quasiIdentifiers())
        .containsExactly("region");
  }

  @Test
  void mistakesNameTheEntryAndTheColumn() {
    assertRefused(
        "[\"postcode\"]",
        "mapping document test: tables.user_profiles: \"quasiIdentifiers\" names postcode,"
            + " which is not a column of this entry");
    assertRefused(
        "[\"user_pseudonym\"]",
        "tables.user_profiles: \"quasiIdentifiers\" names the pseudonym column user_pseudonym");
    assertRefused(
        "[\"sex\", \"sex\"]", "tables.user_profiles: \"quasiIdentifiers\" names sex twice");
    assertRefused(
        "\"sex\"", "tables.user_profiles: \"quasiIdentifiers\" must be an array of column names");
    assertRefused(
        "[\"sex\", 1]",
        "tables.user_profiles: \"quasiIdentifiers\" must be an array of column names");
    assertRefused(
        "[\"birthDate\"]",
        "\"quasiIdentifiers\" names birthDate, which is not a column of this entry");
  }

  private static void assertRefused(String declaration, String message) {
    assertThatThrownBy(
            () ->
                MappingDocument.parse(
                    "{\"tables\": {\"user_profiles\": {\"quasiIdentifiers\": "
                        + declaration
                        + "}}}",
                    "test"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining(message);
  }
}
