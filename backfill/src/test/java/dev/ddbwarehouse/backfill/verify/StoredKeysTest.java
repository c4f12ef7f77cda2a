package dev.ddbwarehouse.backfill.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.core.policy.MappingDocument;
import dev.ddbwarehouse.core.pseudonym.KeyRing;
import dev.ddbwarehouse.core.pseudonym.Pseudonymiser;
import dev.ddbwarehouse.core.table.TableSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class StoredKeysTest {

  private static final Pseudonymiser PSEUDONYMS =
      new Pseudonymiser(
          KeyRing.parse(
              "{\"active\":\"v1\",\"keys\":{\"v1\":\""
                  + Base64.getEncoder()
                      .encodeToString("0123456789abcdef0123456789abcdef".getBytes())
                  + "\"}}",
              "test"));

  private static TableSpec entry(String name) {
    return MappingDocument.defaults().table(name).orElseThrow();
  }

  @Test
  void transactionKeyIsKeptAndVersionIsUpdatedAtElseCreatedAt() {
    StoredKeys keys = new StoredKeys(entry("transactions"), PSEUDONYMS);
    var item =
        SdkItems.of(
            Map.of(
                "transactionId", AttributeValue.fromS("t-1"),
                "updatedAt", AttributeValue.fromS("2026-09-02T12:00:00.1234567+02:00"),
                "createdAt", AttributeValue.fromS("2026-09-01T10:00:00Z")));

    assertThat(keys.attributes()).containsExactly("transactionId", "updatedAt", "createdAt");
    assertThat(keys.key(item)).contains(new StoredKey(List.of("t-1")));
    assertThat(keys.version(item))
        .as("to the microsecond the warehouse stores")
        .contains(Instant.parse("2026-09-02T10:00:00.123456Z"));
    assertThat(
            keys.version(
                SdkItems.of(Map.of("createdAt", AttributeValue.fromS("2026-09-01T10:00:00Z")))))
        .contains(Instant.parse("2026-09-01T10:00:00Z"));
  }

  @Test
  void userProfileKeyIsTheTrimmedUserIdsPseudonymNeverTheUserId() {
    StoredKeys keys = new StoredKeys(entry("user_profiles"), PSEUDONYMS);

    StoredKey key =
        keys.key(SdkItems.of(Map.of("userId", AttributeValue.fromS("  u-42 ")))).orElseThrow();

    assertThat(key.parts()).containsExactly(PSEUDONYMS.pseudonym("user", "u-42"));
    assertThat(key.display(List.of("user_pseudonym"))).doesNotContain("u-42").hasSize(64);
    assertThat(key.json(List.of("user_pseudonym")))
        .isEqualTo("{\"user_pseudonym\":\"" + key.parts().get(0) + "\"}");
  }

  @Test
  void itemWithoutAUsableKeyHasNone() {
    StoredKeys keys = new StoredKeys(entry("user_profiles"), PSEUDONYMS);

    assertThat(keys.key(SdkItems.of(Map.of("userId", AttributeValue.fromS("  "))))).isEmpty();
    assertThat(keys.key(SdkItems.of(Map.of("email", AttributeValue.fromS("a@b.c"))))).isEmpty();
  }

  @Test
  void compositeKeyHasOnePartPerColumnAndNoVersionMeansPresenceOnly() {
    TableSpec events =
        MappingDocument.parse(
                """
                {"tables": {"device_events": {
                  "source": "device-events", "target": "warehouse.device_events",
                  "key": ["deviceId", "seq"],
                  "attributes": {
                    "deviceId": {"treatment": "pseudonymise", "column": "device_pseudonym",
                                 "namespace": "device", "classification": "identifying"},
                    "seq": {"treatment": "keep", "column": "seq", "type": "integer",
                            "classification": "other"}}}}}
                """,
                "test")
            .table("device_events")
            .orElseThrow();
    StoredKeys keys = new StoredKeys(events, PSEUDONYMS);
    var item =
        SdkItems.of(
            Map.of("deviceId", AttributeValue.fromS("d-1"), "seq", AttributeValue.fromN("7")));

    StoredKey key = keys.key(item).orElseThrow();

    assertThat(key.parts()).containsExactly(PSEUDONYMS.pseudonym("device", "d-1"), "7");
    assertThat(key.display(events.keyColumns()))
        .isEqualTo(
            "{\"device_pseudonym\":\""
                + PSEUDONYMS.pseudonym("device", "d-1")
                + "\",\"seq\":\"7\"}");
    assertThat(keys.version(item)).isEmpty();
  }
}
