package dev.ddbwarehouse.core.policy;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Optional;
import java.util.Set;

/** Phone numbers through libphonenumber: E.164 forms and the regions it knows. */
final class PhoneNumbers {

  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

  private PhoneNumbers() {}

  /**
   * The E.164 form, or empty when the text is no possible number (national forms need {@code
   * region}, an ISO 3166-1 alpha-2 code; null reads international forms only).
   */
  static Optional<String> e164(String raw, String region) {
    try {
      PhoneNumber n = UTIL.parse(raw, region == null ? "ZZ" : region);
      if (!UTIL.isPossibleNumber(n)) return Optional.empty();
      return Optional.of(UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164));
    } catch (NumberParseException e) {
      return Optional.empty();
    }
  }

  static Set<String> regions() {
    return UTIL.getSupportedRegions();
  }
}
