package dev.ddbwarehouse.core.pseudonym;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbwarehouse.core.InvalidConfigurationException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PseudonymiserTest {

  /** Key bytes 0x00..0x1f, the key of the published test vectors. */
  static final String VECTOR_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

  static KeyRing ring(String active, String... versionsAndKeys) {
    StringBuilder keys = new StringBuilder();
    for (int i = 0; i < versionsAndKeys.length; i += 2) {
      if (i > 0) keys.append(',');
      keys.append('"')
          .append(versionsAndKeys[i])
          .append("\":\"")
          .append(versionsAndKeys[i + 1])
          .append('"');
    }
    return KeyRing.parse("{\"active\":\"" + active + "\",\"keys\":{" + keys + "}}", "test");
  }

  // Vectors computed independently (Python hmac/hashlib), published in README.
  @ParameterizedTest
  @CsvSource({
    "user,    user-123,               e5455e6644aea9e61cf6be8cb0da6365a955423a8433c56d56987cdde263b9e7",
    "account, acc-0001,               37acc2ead2bfe8de91998e02ffe0361f728a7bd52ca5826ea049619da7d90fa3",
    "iban,    DE89370400440532013000, 51cd27b081b3e6c932479c1d2d6f4527973b14a0462bee35742e1fb1164302c4",
    "email,   alice@example.com,      c89de65dbbe2070217a4f4e9ffec5f85cfa15653f1bfd31285e9ce87175633b4",
    "phone,   +4915112345678,         3516b8803d5aa87c157ea88fb7c54644142a7e0fdf3e5ed90b1b1496d85ca82c",
  })
  void matchesTheFormatV1TestVectors(String namespace, String value, String expected) {
    Pseudonymiser p = new Pseudonymiser(ring("v1", "v1", VECTOR_KEY));

    assertThat(p.pseudonym(namespace, value)).isEqualTo(expected);
    assertThat(p.keyVersion()).isEqualTo("v1");
  }

  /** RFC 2104 HMAC as the JDK computes it, the reference the precomputed states must match. */
  private static String jdkHmac(byte[] key, String namespace, String value) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    mac.update(namespace.getBytes(StandardCharsets.UTF_8));
    mac.update((byte) 0);
    return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void equalsTheJdkHmacForKeysAndValuesOfEveryLength() throws Exception {
    Random random = new Random(20261203);
    // Keys up to and past the 64-byte block (a longer key is hashed first); values across the
    // block boundaries of the inner hash, unicode included.
    for (int keyLength : new int[] {32, 63, 64, 65, 100, 200}) {
      byte[] key = new byte[keyLength];
      random.nextBytes(key);
      Pseudonymiser p =
          new Pseudonymiser(ring("v1", "v1", Base64.getEncoder().encodeToString(key)));
      for (int length = 0; length < 300; length += 1 + random.nextInt(9)) {
        StringBuilder value = new StringBuilder();
        for (int i = 0; i < length; i++) {
          value.append(i % 7 == 3 ? "é€ß".charAt(random.nextInt(3)) : (char) ('a' + i % 26));
        }
        String namespace = "ns" + random.nextInt(4);
        assertThat(p.pseudonym(namespace, value.toString()))
            .as("key of %d bytes, value of %d chars", keyLength, length)
            .isEqualTo(jdkHmac(key, namespace, value.toString()));
      }
    }
  }

  @Test
  void givesEachThreadTheSamePseudonymsAtOnce() throws Exception {
    Pseudonymiser p = new Pseudonymiser(ring("v1", "v1", VECTOR_KEY));
    byte[] key = Base64.getDecoder().decode(VECTOR_KEY);
    List<Callable<Boolean>> work = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      work.add(
          () -> {
            for (int i = 0; i < 2_000; i++) {
              String namespace = "n" + (i % 5);
              String value = "v-" + thread + "-" + i;
              if (!p.pseudonym(namespace, value).equals(jdkHmac(key, namespace, value))) {
                return false;
              }
            }
            return true;
          });
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (Future<Boolean> f : pool.invokeAll(work)) assertThat(f.get()).isTrue();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void namespaceSeparatesEqualValuesOfDifferentKinds() {
    Pseudonymiser p = new Pseudonymiser(ring("v1", "v1", VECTOR_KEY));

    assertThat(p.pseudonym("user", "42")).isNotEqualTo(p.pseudonym("account", "42"));
    assertThat(p.pseudonym("ab", "c")).isNotEqualTo(p.pseudonym("a", "bc"));
  }

  @Test
  void usesTheActiveKeyAndCanRecomputeWithAnOlderOne() {
    byte[] k2Bytes = new byte[32];
    Arrays.fill(k2Bytes, (byte) 7);
    k2Bytes[31] = 8;
    String k2 = Base64.getEncoder().encodeToString(k2Bytes);
    KeyRing rotated = ring("v2", "v1", VECTOR_KEY, "v2", k2);

    assertThat(new Pseudonymiser(rotated).keyVersion()).isEqualTo("v2");
    assertThat(new Pseudonymiser(rotated, "v1").pseudonym("user", "user-123"))
        .isEqualTo("e5455e6644aea9e61cf6be8cb0da6365a955423a8433c56d56987cdde263b9e7");
    assertThat(new Pseudonymiser(rotated).pseudonym("user", "user-123"))
        .isNotEqualTo("e5455e6644aea9e61cf6be8cb0da6365a955423a8433c56d56987cdde263b9e7");
  }

  @Test
  void refusesKeysShorterThan32Bytes() {
    String short31 = Base64.getEncoder().encodeToString(new byte[31]);

    assertThatThrownBy(() -> ring("v1", "v1", short31))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("keys.v1 is 31 bytes; at least 32");
  }

  @Test
  void refusesKeysWithoutEntropyNamingTheVersionNeverTheKey() {
    byte[] ones = new byte[32];
    Arrays.fill(ones, (byte) 0xff);
    String zeros = Base64.getEncoder().encodeToString(new byte[32]);
    String allOnes = Base64.getEncoder().encodeToString(ones);

    assertThatThrownBy(() -> ring("v1", "v1", VECTOR_KEY, "v0", zeros))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("keys.v0 has no entropy")
        .hasMessageNotContaining(zeros);
    assertThatThrownBy(() -> ring("v2", "v2", allOnes))
        .hasMessageContaining("keys.v2 has no entropy")
        .hasMessageNotContaining(allOnes);
  }

  @Test
  void namesWhatIsWrongWithTheSecretWithoutQuotingIt() {
    assertThatThrownBy(
            () ->
                KeyRing.parse(
                    "{\"active\":\"v9\",\"keys\":{\"v1\":\"" + VECTOR_KEY + "\"}}", "secret-x"))
        .hasMessageContaining("secret-x")
        .hasMessageContaining("active version \"v9\" is not among keys [v1]")
        .hasMessageNotContaining(VECTOR_KEY);
    assertThatThrownBy(() -> KeyRing.parse("not json " + VECTOR_KEY, "secret-x"))
        .hasMessageContaining("not valid JSON")
        .hasMessageNotContaining(VECTOR_KEY);
    assertThatThrownBy(
            () -> KeyRing.parse("{\"active\":\"v1\",\"keys\":{\"v1\":\"%%%\"}}", "secret-x"))
        .hasMessageContaining("keys.v1 is not valid base64");
  }

  @Test
  void neverShowsKeyMaterial() {
    KeyRing ring = ring("v1", "v1", VECTOR_KEY);

    assertThat(ring.toString()).contains("v1").doesNotContain(VECTOR_KEY).contains("<redacted>");
    assertThat(new Pseudonymiser(ring).toString()).doesNotContain(VECTOR_KEY);
  }
}
