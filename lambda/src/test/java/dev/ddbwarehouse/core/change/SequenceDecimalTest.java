package dev.ddbwarehouse.core.change;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SequenceDecimalTest {

  @Test
  void everyLengthFromOneToFortyDigitsReadsAsBigIntegerReadsIt() {
    Random random = new Random(11);
    for (int length = 1; length <= 40; length++) {
      for (int n = 0; n < 2_000; n++) {
        StringBuilder digits = new StringBuilder();
        // Leading zeros, all nines and random digits: the carries and the edges of each long.
        int style = n % 4;
        for (int i = 0; i < length; i++) {
          digits.append(
              style == 0 && i < length / 2
                  ? '0'
                  : style == 1 ? '9' : (char) ('0' + random.nextInt(10)));
        }
        String text = digits.toString();
        assertThat(ChangeMapper.decimal(text)).as(text).isEqualTo(new BigInteger(text));
      }
    }
  }

  @Test
  void realSequenceNumbersRead() {
    for (String text :
        new String[] {
          "111",
          "4421584500000000017450439091",
          "000000000000001000000",
          "999999999999999999",
          "1000000000000000000",
          "340282366920938463463374607431768211455"
        }) {
      assertThat(ChangeMapper.decimal(text)).as(text).isEqualTo(new BigInteger(text));
    }
  }
}
