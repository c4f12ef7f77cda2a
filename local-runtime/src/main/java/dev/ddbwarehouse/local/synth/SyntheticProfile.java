package dev.ddbwarehouse.local.synth;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** One fake user profile in the source shape, for a {@link FakePerson} of the transactions. */
public record SyntheticProfile(
    FakePerson person,
    LocalDate birthDate,
    String sex,
    String country,
    String postcode,
    Instant signupAt,
    boolean marketingOptIn,
    Instant updatedAt) {

  public SyntheticProfile {
    Objects.requireNonNull(person, "person");
    Objects.requireNonNull(birthDate, "birthDate");
    Objects.requireNonNull(signupAt, "signupAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /**
   * The values the warehouse must never hold in clear: the leak check searches for each. The birth
   * date and signup time only as written (the warehouse keeps a year band and a month).
   */
  public List<String> identifyingValues() {
    return List.of(
        person.userId(),
        person.email(),
        person.phone(),
        person.fullName(),
        postcode,
        birthDate.toString(),
        signupAt.toString());
  }

  /** The same profile after an update: marketing consent flipped, a later version. */
  public SyntheticProfile updated(Instant at) {
    return new SyntheticProfile(
        person, birthDate, sex, country, postcode, signupAt, !marketingOptIn, at);
  }

  /** The DynamoDB item, attribute names as the built-in {@code user_profiles} entry expects. */
  public Map<String, AttributeValue> toItem() {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("userId", s(person.userId()));
    item.put("email", s(person.email()));
    item.put("phone", s(person.phone()));
    item.put("fullName", s(person.fullName()));
    item.put("birthDate", s(birthDate.toString()));
    item.put("sex", s(sex));
    item.put("country", s(country));
    item.put("postcode", s(postcode));
    item.put("signupAt", s(signupAt.toString()));
    item.put("marketingOptIn", AttributeValue.fromBool(marketingOptIn));
    item.put("updatedAt", s(updatedAt.toString()));
    return item;
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }
}
