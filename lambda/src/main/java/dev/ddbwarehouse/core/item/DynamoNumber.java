package dev.ddbwarehouse.core.item;

import dev.ddbwarehouse.core.ErrorCode;
import dev.ddbwarehouse.core.PoisonRecordException;
import java.math.BigDecimal;

/** DynamoDB's number type read from its wire form, a decimal string. */
public final class DynamoNumber {

  private static final int MAX_DIGITS = 38;
  private static final long MIN_EXPONENT = -130;
  private static final long MAX_EXPONENT = 125;

  private DynamoNumber() {}

  /**
   * Within DynamoDB's own range (38 significant digits, magnitude 1E-130 to below 1E+126), so no
   * later step meets a scale near Integer.MIN_VALUE: {@code 1e2147483648} parses, but printing or
   * rescaling it throws ArithmeticException.
   *
   * @param attribute the attribute it is the value of, for the quarantine
   * @param path where it is in the record ("NewImage.amount"), for the message
   */
  public static BigDecimal parse(String text, String attribute, String path) {
    BigDecimal value;
    try {
      value = new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      throw new PoisonRecordException(
          ErrorCode.INVALID_NUMBER, attribute, path + " is not a number");
    }
    if (value.signum() == 0) {
      // A zero keeps its scale (0.00 stays 0.00) unless that scale is absurd.
      return Math.abs((long) value.scale()) <= -MIN_EXPONENT ? value : BigDecimal.ZERO;
    }
    long exponent = (long) value.precision() - value.scale() - 1;
    if (exponent < MIN_EXPONENT
        || exponent > MAX_EXPONENT
        || value.stripTrailingZeros().precision() > MAX_DIGITS) {
      throw new PoisonRecordException(
          ErrorCode.INVALID_NUMBER,
          attribute,
          path
              + " is outside DynamoDB's number range (38 significant digits, 1E-130 to 9.99E+125)");
    }
    return value;
  }
}
