package dev.ddbwarehouse.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbwarehouse.core.InvalidConfigurationException;
import dev.ddbwarehouse.core.table.Mapping;
import dev.ddbwarehouse.core.table.TableSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MappingDocumentTest {

  @Test
  void defaultsMapTheDocumentedAttributes() {
    TableSpec p = transactions(MappingDocument.defaults());

    assertThat(p.rule("userId"))
        .hasValueSatisfying(
            r -> {
              assertThat(r.treatment()).isEqualTo(Treatment.PSEUDONYMISE);
              assertThat(r.namespace()).isEqualTo("user");
            });
    assertThat(p.rule("counterpartyIban").orElseThrow().normaliser()).isEqualTo(Normaliser.IBAN);
    assertThat(p.rule("email").orElseThrow().normaliser()).isEqualTo(Normaliser.EMAIL);
    assertThat(p.rule("phone").orElseThrow().normaliser()).isEqualTo(Normaliser.PHONE);
    assertThat(p.rule("ipAddress").orElseThrow().treatment()).isEqualTo(Treatment.GENERALISE_IP);
    assertThat(p.rule("counterpartyName").orElseThrow().treatment()).isEqualTo(Treatment.DROP);
    assertThat(p.rule("metadata").orElseThrow().treatment()).isEqualTo(Treatment.DROP);
    assertThat(p.ttlDeletes()).isEqualTo(TtlDeletes.IGNORE);
    assertThat(p.columnRules()).hasSize(17);
    assertThat(p.keyAttributes()).containsExactly("transactionId");
    assertThat(p.versionAttributes()).containsExactly("updatedAt", "createdAt");
  }

  @Test
  void expectedAttributesAreThoseOfRequiredColumnsAndThePseudonymisedOnes() {
    assertThat(transactions(MappingDocument.defaults()).expectedAttributes())
        .containsExactly(
            "accountId",
            "amount",
            "counterpartyIban",
            "createdAt",
            "currency",
            "email",
            "phone",
            "transactionId",
            "userId");
  }

  @Test
  void aDocumentRenamesAnAttributeAndAllowListsExtras() {
    TableSpec p =
        only(
            """
            {"attributes": {
               "customerId": {"treatment": "pseudonymise", "column": "user_pseudonym", "namespace": "user"},
               "channel":    {"treatment": "extra"}
             },
             "ttlDeletes": "soft-delete"}
            """,
            "test.json");

    assertThat(feeding(p, "user_pseudonym").attribute()).isEqualTo("customerId");
    assertThat(feeding(p, "user_pseudonym").normaliser()).isEqualTo(Normaliser.TRIM);
    assertThat(p.rule("userId")).as("the column's former attribute is no longer stored").isEmpty();
    assertThat(p.rule("channel").orElseThrow().treatment()).isEqualTo(Treatment.EXTRA);
    assertThat(p.ttlDeletes()).isEqualTo(TtlDeletes.SOFT_DELETE);
  }

  @Test
  void errorsNameTheEntryAtFault() {
    assertInvalid(
        "{\"attributes\":{\"email\":{\"treatment\":\"hash\"}}}",
        "attributes.email: unknown treatment \"hash\"");
    assertInvalid(
        "{\"attributes\":{\"email\":{\"treatment\":\"keep\",\"column\":\"email_pseudonym\"}}}",
        "attributes.email: identifying attribute would be stored raw (treatment \"keep\")");
    assertInvalid(
        "{\"attributes\":{\"email\":{\"treatment\":\"pseudonymise\",\"column\":\"email_pseudonym\"}}}",
        "attributes.email: \"namespace\" is required");
    assertInvalid(
        "{\"attributes\":{\"amt\":{\"treatment\":\"keep\",\"column\":\"amount\"},\"amount\":{\"treatment\":\"keep\",\"column\":\"amount\"}}}",
        "column amount is fed by both attributes.amt and attributes.amount");
    assertInvalid(
        "{\"replaceDefaults\":true,\"attributes\":{}}",
        "required column transaction_id is not fed by any attribute");
    assertInvalid(
        "{\"attributes\":{\"x\":{\"treatment\":\"drop\",\"colum\":\"a\"}}}",
        "attributes.x: unknown field \"colum\"");
    assertInvalid("{\"atributes\":{}}", "unknown key \"atributes\"");
    assertInvalid(
        "{\"ttlDeletes\":\"forget\"}", "ttlDeletes: must be \"ignore\" or \"soft-delete\"");
    assertInvalid("{\"attributes\": [}", "test.json is not valid JSON at line 1");
  }

  @Test
  void epochUnitAndVersionWindowAreDeclaredInTheDocument() {
    TableSpec p =
        only(
            """
            {"attributes": {"updatedAt": {"treatment": "keep", "column": "updated_at", "epochUnit": "s"}},
             "versionWindow": {"ahead": "PT6H", "behind": "P3650D"}}
            """,
            "test.json");

    assertThat(p.rule("updatedAt").orElseThrow().epochUnit()).isEqualTo(EpochUnit.SECONDS);
    assertThat(p.rule("createdAt").orElseThrow().epochUnit()).isEqualTo(EpochUnit.MILLISECONDS);
    assertThat(p.versionWindow())
        .isEqualTo(new VersionWindow(Duration.ofHours(6), Duration.ofDays(3650)));
    assertThat(transactions(MappingDocument.defaults()).versionWindow())
        .as("one day ahead, no bound behind (a backfill replays old items)")
        .isEqualTo(new VersionWindow(Duration.ofDays(1), null));
    assertThat(only("{\"versionWindow\":{\"ahead\":\"off\"}}", "t").versionWindow())
        .isEqualTo(new VersionWindow(null, null));
  }

  @Test
  void refusesEpochUnitsAndWindowsItCannotApply() {
    assertInvalid(
        "{\"attributes\":{\"updatedAt\":{\"treatment\":\"keep\",\"column\":\"updated_at\",\"epochUnit\":\"us\"}}}",
        "attributes.updatedAt: unknown epochUnit \"us\" (ms, s)");
    assertInvalid(
        "{\"attributes\":{\"amount\":{\"treatment\":\"keep\",\"column\":\"amount\",\"epochUnit\":\"s\"}}}",
        "attributes.amount: only type \"timestamp\" takes \"epochUnit\"");
    assertInvalid(
        "{\"versionWindow\":{\"ahead\":\"1 day\"}}",
        "versionWindow.ahead must be a positive ISO-8601 duration");
    assertInvalid(
        "{\"versionWindow\":{\"future\":\"P1D\"}}", "versionWindow: unknown field \"future\"");
  }

  private static TableSpec transactions(Mapping m) {
    return m.table("transactions").orElseThrow();
  }

  private static TableSpec only(String json, String source) {
    Mapping m = MappingDocument.parse(json, source);
    assertThat(m.tables()).hasSize(1);
    return m.tables().get(0);
  }

  private static AttributeRule feeding(TableSpec t, String column) {
    return t.rules().values().stream()
        .filter(r -> column.equals(r.column()))
        .findFirst()
        .orElseThrow();
  }

  static void assertInvalid(String json, String message) {
    assertThatThrownBy(() -> MappingDocument.parse(json, "test.json"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("mapping document test.json")
        .hasMessageContaining(message);
  }

  @Test
  void defaultsClassifyEveryAttribute() {
    TableSpec p = transactions(MappingDocument.defaults());

    assertThat(p.rule("email").orElseThrow().classification())
        .isEqualTo(Classification.IDENTIFYING);
    assertThat(p.rule("ipAddress").orElseThrow().classification())
        .isEqualTo(Classification.IDENTIFYING);
    assertThat(p.rule("country").orElseThrow().classification())
        .isEqualTo(Classification.QUASI_IDENTIFYING);
    assertThat(p.rule("amount").orElseThrow().classification()).isEqualTo(Classification.OTHER);
    assertThat(p.identifyingStoredRaw()).isEmpty();
  }

  @Test
  void refusesAnIdentifyingAttributeAsExtra() {
    assertThatThrownBy(
            () ->
                MappingDocument.parse(
                    "{\"attributes\":{\"email\":{\"treatment\":\"extra\"}}}", "F"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessage(
            "mapping document F: attributes.email: identifying attribute would be stored raw"
                + " (treatment \"extra\"); pseudonymise, generalise or drop it, or name it in"
                + " \"storeIdentifyingRaw\" to store it raw on purpose");
  }

  @Test
  void refusesAnIdentifyingAttributeKeptInAnotherColumn() {
    assertThatThrownBy(
            () ->
                MappingDocument.parse(
                    "{\"attributes\":{\"email\":{\"treatment\":\"keep\",\"column\":\"merchant_name\"}}}",
                    "F"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("attributes.email: identifying attribute would be stored raw");
  }

  @Test
  void refusesTheIpAddressAsExtraAndANewAttributeDeclaredIdentifying() {
    assertThatThrownBy(
            () ->
                MappingDocument.parse(
                    "{\"attributes\":{\"ipAddress\":{\"treatment\":\"extra\"}}}", "F"))
        .hasMessageContaining("attributes.ipAddress: identifying attribute would be stored raw");
    assertThatThrownBy(
            () ->
                MappingDocument.parse(
                    "{\"attributes\":{\"nationalId\":{\"treatment\":\"extra\",\"classification\":\"identifying\"}}}",
                    "F"))
        .hasMessageContaining("attributes.nationalId: identifying attribute would be stored raw");
  }

  @Test
  void aBuiltInIdentifyingAttributeCannotBeDeclaredLess() {
    assertThatThrownBy(
            () ->
                MappingDocument.parse(
                    "{\"attributes\":{\"email\":{\"treatment\":\"extra\",\"classification\":\"other\"}}}",
                    "F"))
        .hasMessage(
            "mapping document F: attributes.email: is identifying and cannot be classified"
                + " \"other\"; to store it raw anyway, name it in \"storeIdentifyingRaw\"");
  }

  @Test
  void anExplicitOverrideAllowsItAndIsReported() {
    TableSpec p =
        only(
            "{\"attributes\":{\"email\":{\"treatment\":\"extra\"}},\"storeIdentifyingRaw\":[\"email\"]}",
            "F");

    assertThat(p.rule("email").orElseThrow().treatment()).isEqualTo(Treatment.EXTRA);
    assertThat(p.identifyingStoredRaw()).containsExactly("email");
  }

  @Test
  void anOverrideNamingNothingStoredRawIsRefused() {
    assertThatThrownBy(() -> MappingDocument.parse("{\"storeIdentifyingRaw\":[\"email\"]}", "F"))
        .hasMessage(
            "mapping document F: \"storeIdentifyingRaw\" names email, which is not an identifying"
                + " attribute stored raw");
  }

  @Test
  void newAttributesAreClassifiedByTheirTreatmentUnlessDeclared() {
    TableSpec p =
        only(
            "{\"attributes\":{\"channel\":{\"treatment\":\"extra\"},"
                + "\"customerId\":{\"treatment\":\"pseudonymise\",\"column\":\"user_pseudonym\",\"namespace\":\"user\"},"
                + "\"branch\":{\"treatment\":\"extra\",\"classification\":\"quasi-identifying\"}}}",
            "F");

    assertThat(p.rule("channel").orElseThrow().classification()).isEqualTo(Classification.OTHER);
    assertThat(p.rule("customerId").orElseThrow().classification())
        .isEqualTo(Classification.IDENTIFYING);
    assertThat(p.rule("branch").orElseThrow().classification())
        .isEqualTo(Classification.QUASI_IDENTIFYING);
    assertThatThrownBy(
            () ->
                MappingDocument.parse(
                    "{\"attributes\":{\"x\":{\"treatment\":\"drop\",\"classification\":\"secret\"}}}",
                    "F"))
        .hasMessage(
            "mapping document F: attributes.x: unknown classification \"secret\" (identifying,"
                + " quasi-identifying, other)");
  }
}
