package dev.ddbwarehouse.core.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RowKeyTest {

  @Test
  void ordersLikeUtf8BytesWhichIsPostgresqlsCCollation() {
    SplittableRandom random = new SplittableRandom(3);
    int[] pool = {'a', 'B', '0', '-', 0xE9, 0x4E2D, 0xFF5E, 0x1F600, 0x10000};
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      StringBuilder id = new StringBuilder();
      for (int j = random.nextInt(1, 5); j > 0; j--) {
        id.appendCodePoint(pool[random.nextInt(pool.length)]);
      }
      ids.add(id.toString());
    }

    List<String> byKeyOrder = new ArrayList<>(ids);
    byKeyOrder.sort(RowKey::codePoints);
    List<String> byBytes = new ArrayList<>(ids);
    byBytes.sort((a, b) -> Arrays.compareUnsigned(utf8(a), utf8(b)));

    assertThat(byKeyOrder).isEqualTo(byBytes);
  }

  @Test
  void putsACharacterBeyondTheBasicPlaneAfterOneNearItsEnd() {
    assertThat(RowKey.codePoints("\uD83D\uDE00", "\uFF5E")).as("U+1F600 vs U+FF5E").isPositive();
    assertThat("\uD83D\uDE00".compareTo("\uFF5E")).as("String.compareTo disagrees").isNegative();
  }

  @Test
  void putsAPrefixFirst() {
    assertThat(RowKey.codePoints("t-1", "t-10")).isNegative();
    assertThat(RowKey.codePoints("t-10", "t-1")).isPositive();
    assertThat(RowKey.codePoints("t-1", "t-1")).isZero();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
