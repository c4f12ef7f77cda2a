package dev.ddbwarehouse.core.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbwarehouse.core.InvalidRequestException;
import dev.ddbwarehouse.core.policy.MappingDocument;
import dev.ddbwarehouse.core.pseudonym.KeyRing;
import dev.ddbwarehouse.core.table.TableSpec;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubjectPseudonymsTest {

  private static final KeyRing RING =
      KeyRing.parse(
          "{\"active\":\"v2\",\"keys\":{\"v1\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\","
              + "\"v2\":\"ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=\"}}",
          "test");

  @Test
  void everyKeyVersionGivesThePseudonymOfTheNormalisedValue() {
    SubjectPseudonyms s =
        SubjectPseudonyms.of(MappingDocument.defaults(), RING, "email", "  Alice@Example.com ");

    assertThat(s.byVersion().keySet()).containsExactly("v1", "v2");
    assertThat(s.byVersion().get("v1"))
        .as("README vector of alice@example.com: normalised as the pipeline does")
        .containsExactly("c89de65dbbe2070217a4f4e9ffec5f85cfa15653f1bfd31285e9ce87175633b4");
    assertThat(s.all()).hasSize(2).doesNotHaveDuplicates();
    assertThat(s.tables().keySet())
        .extracting(TableSpec::name)
        .containsExactly("transactions", "user_profiles");
    assertThat(s.tables().values()).containsOnly(List.of("email_pseudonym"));
    assertThat(s.toString()).doesNotContain("lice").doesNotContain("c89de65d");
  }

  @Test
  void aNamespaceNoTableUsesIsRefusedNamingTheKnownOnes() {
    assertThatThrownBy(() -> SubjectPseudonyms.of(MappingDocument.defaults(), RING, "ssn", "123"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage(
            "namespace ssn is used by no table of the mapping (namespaces: [account, email, iban, phone, user])");
  }

  @Test
  void aValueThatNormalisesToNothingIsRefused() {
    assertThatThrownBy(() -> SubjectPseudonyms.of(MappingDocument.defaults(), RING, "user", "   "))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("empty once normalised");
  }

  @Test
  void aRequestNeverShowsItsValue() {
    SubjectRequest r =
        new SubjectRequest("ticket-1", "user", "user-123", SubjectRequest.Action.FORGET, false);
    assertThat(r.toString()).doesNotContain("user-123").contains("ticket-1");
    assertThatThrownBy(
            () -> new SubjectRequest("bad id!", "user", "x", SubjectRequest.Action.FORGET, false))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("requestId");
    assertThat(Set.of(SubjectRequest.Action.parse("export")))
        .containsExactly(SubjectRequest.Action.EXPORT);
  }
}
