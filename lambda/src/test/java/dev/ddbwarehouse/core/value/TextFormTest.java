package dev.ddbwarehouse.core.value;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TextFormTest {

  @Test
  void instantsReadExactlyAsInstantToStringWritesThem() {
    Random random = new Random(11);
    for (int n = 0; n < 100_000; n++) {
      long seconds =
          switch (n % 4) {
            case 0 -> random.nextLong(-62_167_219_200L, 253_402_300_800L); // 0000..9999
            case 1 -> 1_700_000_000L + random.nextInt(100_000_000);
            case 2 -> random.nextLong(-100_000_000_000L, 100_000_000_000L); // beyond both ends
            default -> random.nextInt(3) - 1;
          };
      int nanos =
          switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
          };
      Instant i = Instant.ofEpochSecond(seconds, nanos);
      assertThat(TextForm.instant(i)).isEqualTo(i.toString());
    }
    assertThat(TextForm.instant(Instant.MIN)).isEqualTo(Instant.MIN.toString());
    assertThat(TextForm.instant(Instant.MAX)).isEqualTo(Instant.MAX.toString());
    assertThat(TextForm.instant(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00Z");
  }
}
