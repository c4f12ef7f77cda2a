package dev.ddbwarehouse.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbwarehouse.core.InvalidConfigurationException;
import dev.ddbwarehouse.core.table.Erasure;
import dev.ddbwarehouse.core.table.TableSpec;
import org.junit.jupiter.api.Test;

/** The per-table {@code erasure} declaration of the mapping document. */
class ErasureDeclarationTest {

  private static TableSpec table(String json, String name) {
    return MappingDocument.parse(json, "test").table(name).orElseThrow();
  }

  @Test
  void theBuiltInsAnonymiseTransactionsAndDeleteProfiles() {
    TableSpec transactions = MappingDocument.defaults().table("transactions").orElseThrow();
    TableSpec profiles = MappingDocument.defaults().table("user_profiles").orElseThrow();

    assertThat(transactions.erasure())
        .isEqualTo(
            new Erasure(
                Erasure.Action.ANONYMISE, java.util.List.of("ip_network", "merchant_name")));
    assertThat(profiles.erasure()).isEqualTo(Erasure.DELETE_ROWS);
    assertThat(transactions.pseudonymColumns())
        .containsExactly(
            "user_pseudonym",
            "account_pseudonym",
            "counterparty_pseudonym",
            "email_pseudonym",
            "phone_pseudonym");
    assertThat(transactions.columnsInNamespace("user")).containsExactly("user_pseudonym");
  }

  @Test
  void aTableThatDeclaresNothingDeletesTheSubjectsRows() {
    TableSpec t =
        table(
            """
            {"tables": {"accounts": {"source": "accounts", "target": "warehouse.accounts",
              "key": ["accountId"],
              "attributes": {"accountId": {"treatment": "keep", "column": "account_id"},
                             "ownerId": {"treatment": "pseudonymise", "column": "owner_pseudonym", "namespace": "user"}}}}}
            """,
            "accounts");
    assertThat(t.erasure()).isEqualTo(Erasure.DELETE_ROWS);
  }

  @Test
  void anEntryOverridesTheBuiltInAction() {
    TableSpec t =
        table(
            "{\"tables\": {\"transactions\": {\"erasure\": {\"action\": \"anonymise\", \"clear\": [\"country\"]}}}}",
            "transactions");
    assertThat(t.erasure().clearColumns()).containsExactly("country");
    assertThat(
            table(
                    "{\"tables\": {\"transactions\": {\"erasure\": {\"action\": \"delete\"}}}}",
                    "transactions")
                .erasure())
        .isEqualTo(Erasure.DELETE_ROWS);
  }

  @Test
  void mistakesNameTheEntryAndWhatIsWrong() {
    assertRefused(
        "{\"action\": \"shred\"}",
        "tables.transactions: erasure: \"action\" must be \"delete\" or \"anonymise\"");
    assertRefused(
        "{\"action\": \"anonymise\", \"clear\": [\"nope\"]}",
        "\"clear\" names nope, which is not a column");
    assertRefused(
        "{\"action\": \"anonymise\", \"clear\": [\"transaction_id\"]}",
        "the key column transaction_id");
    assertRefused(
        "{\"action\": \"delete\", \"clear\": [\"country\"]}",
        "\"clear\" applies to \"anonymise\" only");
    assertRefused("{\"action\": \"delete\", \"when\": 1}", "unknown field \"when\"");
    assertRefused("\"delete\"", "erasure must be an object");
  }

  @Test
  void aTableKeyedByAPseudonymCannotBeAnonymised() {
    assertThatThrownBy(
            () ->
                MappingDocument.parse(
                    "{\"tables\": {\"user_profiles\": {\"erasure\": {\"action\": \"anonymise\"}}}}",
                    "test"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("key attribute userId is a pseudonym: use \"delete\"");
  }

  private static void assertRefused(String erasure, String message) {
    assertThatThrownBy(
            () ->
                MappingDocument.parse(
                    "{\"tables\": {\"transactions\": {\"erasure\": " + erasure + "}}}", "test"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining(message);
  }
}
