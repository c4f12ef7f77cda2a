package dev.ddbwarehouse.core.pseudonym;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbwarehouse.core.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

/** The key version erasure suppression tokens are computed with, and that it survives rotation. */
class SuppressionVersionTest {

  private static final String V1 = PseudonymiserTest.VECTOR_KEY;
  private static final String V2 = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";

  @Test
  void isTheFirstListedVersionWhateverIsActive() {
    assertThat(PseudonymiserTest.ring("v1", "v1", V1).suppressionVersion()).isEqualTo("v1");
    assertThat(PseudonymiserTest.ring("v2", "v1", V1, "v2", V2).suppressionVersion())
        .as("a rotation appends v2 and activates it: v1 stays the suppression version")
        .isEqualTo("v1");
  }

  @Test
  void canBeNamedAndMustBeInTheRing() {
    KeyRing named =
        KeyRing.parse(
            "{\"active\":\"v2\",\"suppressionVersion\":\"v2\",\"keys\":{\"v1\":\""
                + V1
                + "\",\"v2\":\""
                + V2
                + "\"}}",
            "test");
    assertThat(named.suppressionVersion()).isEqualTo("v2");
    assertThatThrownBy(
            () ->
                KeyRing.parse(
                    "{\"active\":\"v1\",\"suppressionVersion\":\"v0\",\"keys\":{\"v1\":\""
                        + V1
                        + "\"}}",
                    "secret x"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessage(
            "HMAC key secret secret x: \"suppressionVersion\" must name one of the key versions [v1]");
  }

  @Test
  void theActivePseudonymiserIsItsOwnSuppressionWhenTheVersionsAgree() {
    Pseudonymiser same = new Pseudonymiser(PseudonymiserTest.ring("v1", "v1", V1));
    assertThat(same.suppression()).isSameAs(same);

    KeyRing rotated = PseudonymiserTest.ring("v2", "v1", V1, "v2", V2);
    Pseudonymiser active = new Pseudonymiser(rotated);
    assertThat(active.suppression().keyVersion()).isEqualTo("v1");
    assertThat(active.suppression().pseudonym("user", "user-123"))
        .as("the README test vector: the token is the v1 pseudonym")
        .isEqualTo("e5455e6644aea9e61cf6be8cb0da6365a955423a8433c56d56987cdde263b9e7");
    assertThat(active.pseudonym("user", "user-123"))
        .isNotEqualTo(active.suppression().pseudonym("user", "user-123"));
  }
}
