package dev.ddbwarehouse.local.synth;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;

/**
 * Deterministic fake profiles for the transaction faker's people: the same seed and person give the
 * same profile. Postcodes always contain a letter beyond a–f, so the leak check's substring search
 * cannot find one by chance inside a hex pseudonym, a UUID or a stream ARN.
 */
public final class ProfileFaker {

  /** Signups end a few months before the transactions' window (which ends 2026-10-01). */
  private static final Instant SIGNUPS_FROM = Instant.parse("2016-01-01T00:00:00Z");

  private static final Instant SIGNUPS_UNTIL = Instant.parse("2026-01-01T00:00:00Z");
  private static final LocalDate BORN_FROM = LocalDate.parse("1945-01-01");
  private static final int BORN_SPAN_DAYS = 61 * 365;
  private static final String[] SEXES = {
    "female", "female", "male", "male", "female", "male", "diverse", "not stated"
  };
  private static final String[] GB_AREAS = {
    "SW", "NW", "N", "M", "L", "G", "LS", "NG", "PR", "ST", "WR", "YO", "TN", "KT", "RG"
  };
  private static final String INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ";
  private static final String NON_HEX_LETTERS = "GHJKLMNPRSTVWXZ";

  private final long seed;

  public ProfileFaker(long seed) {
    this.seed = seed;
  }

  /** The profile of {@code person}, updated a day to ten months after signup. */
  public SyntheticProfile profile(FakePerson person) {
    SplittableRandom random = new SplittableRandom(seed ^ person.userId().hashCode());
    Instant signup =
        SIGNUPS_FROM
            .plusMillis(random.nextLong(Duration.between(SIGNUPS_FROM, SIGNUPS_UNTIL).toMillis()))
            .truncatedTo(ChronoUnit.MILLIS);
    String country = random.nextInt(10) < 5 ? "GB" : random.nextBoolean() ? "NL" : "IE";
    return new SyntheticProfile(
        person,
        BORN_FROM.plusDays(random.nextInt(BORN_SPAN_DAYS)),
        SEXES[random.nextInt(SEXES.length)],
        country,
        postcode(country, random),
        signup,
        random.nextBoolean(),
        signup.plus(Duration.ofMinutes(1440 + random.nextLong(Duration.ofDays(300).toMinutes()))));
  }

  private static String postcode(String country, SplittableRandom random) {
    return switch (country) {
      case "GB" ->
          GB_AREAS[random.nextInt(GB_AREAS.length)]
              + (1 + random.nextInt(20))
              + " "
              + random.nextInt(10)
              + letter(INWARD_LETTERS, random)
              + letter(INWARD_LETTERS, random);
      case "NL" ->
          (1000 + random.nextInt(9000))
              + " "
              + letter(NON_HEX_LETTERS, random)
              + letter(NON_HEX_LETTERS, random);
      default ->
          // Eircode: routing key, then a unique identifier with at least one non-hex letter.
          "D"
              + (10 + random.nextInt(14))
              + " "
              + letter(NON_HEX_LETTERS, random)
              + (100 + random.nextInt(900));
    };
  }

  private static char letter(String letters, SplittableRandom random) {
    return letters.charAt(random.nextInt(letters.length()));
  }
}
