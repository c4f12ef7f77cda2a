package dev.ddbwarehouse.core.pseudonym;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbwarehouse.core.InvalidRequestException;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class KeyRingChangeTest {

  private static final String V1 = PseudonymiserTest.VECTOR_KEY;
  private static final String ONE = "{\"active\":\"v1\",\"keys\":{\"v1\":\"" + V1 + "\"}}";

  @Test
  void rotationAddsTheNextVersionMakesItActiveAndKeepsTheOldOnes() {
    KeyRingChange.Result r = KeyRingChange.rotate(ONE, "test", new SecureRandom());
    KeyRing ring = KeyRing.parse(r.secretJson(), "test");

    assertThat(r.version()).isEqualTo("v2");
    assertThat(ring.activeVersion()).isEqualTo("v2");
    assertThat(ring.versions()).containsExactlyInAnyOrder("v1", "v2");
    assertThat(ring.suppressionVersion()).isEqualTo("v1");
    assertThat(new Pseudonymiser(ring, "v1").pseudonym("user", "user-123"))
        .as("v1 is untouched")
        .isEqualTo("e5455e6644aea9e61cf6be8cb0da6365a955423a8433c56d56987cdde263b9e7");
    assertThat(r.secretJson()).contains("\"suppressionVersion\":\"v1\"");
    assertThat(r.toString()).doesNotContain(V1);

    KeyRingChange.Result again = KeyRingChange.rotate(r.secretJson(), "test", new SecureRandom());
    assertThat(again.version()).isEqualTo("v3");
    assertThat(KeyRing.parse(again.secretJson(), "test").versions()).hasSize(3);
  }

  @Test
  void twoRotationsNeverProduceTheSameKey() {
    String a = KeyRingChange.rotate(ONE, "test", new SecureRandom()).secretJson();
    String b = KeyRingChange.rotate(ONE, "test", new SecureRandom()).secretJson();
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void retirementRemovesAVersionButNeverTheActiveOne() {
    String two = KeyRingChange.rotate(ONE, "test", new SecureRandom()).secretJson();
    String three = KeyRingChange.rotate(two, "test", new SecureRandom()).secretJson();

    KeyRingChange.Result r = KeyRingChange.retire(three, "test", "v2", null);
    assertThat(KeyRing.parse(r.secretJson(), "test").versions())
        .containsExactlyInAnyOrder("v1", "v3");

    assertThatThrownBy(() -> KeyRingChange.retire(three, "test", "v3", null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("key version v3 is the active one: rotate to a new version first");
    assertThatThrownBy(() -> KeyRingChange.retire(three, "test", "v9", null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("is not in the ring");
  }

  @Test
  void theSuppressionVersionLeavesOnlyForANamedSuccessor() {
    String two = KeyRingChange.rotate(ONE, "test", new SecureRandom()).secretJson();

    assertThatThrownBy(() -> KeyRingChange.retire(two, "test", "v1", null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("is the suppression version");
    KeyRingChange.Result r = KeyRingChange.retire(two, "test", "v1", "v2");
    KeyRing ring = KeyRing.parse(r.secretJson(), "test");
    assertThat(ring.versions()).containsExactly("v2");
    assertThat(ring.suppressionVersion()).isEqualTo("v2");
  }
}
