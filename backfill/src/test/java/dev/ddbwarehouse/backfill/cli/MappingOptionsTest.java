package dev.ddbwarehouse.backfill.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbwarehouse.backfill.BackfillException.Refused;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappingOptionsTest {

  @TempDir Path dir;

  @Test
  void selectsTheBuiltInEntryBySourceOrShadowTable() {
    MappingOptions options = new MappingOptions();

    assertThat(options.forSource("user-profiles").name()).isEqualTo("user_profiles");
    assertThat(options.forSource("user-profiles-backfill").name()).isEqualTo("user_profiles");
    assertThat(options.forShadow("transactions-backfill").name()).isEqualTo("transactions");
    assertThat(options.quarantineTables(options.forSource("user-profiles"), "user-profiles"))
        .containsExactly("user-profiles", "user-profiles-backfill");
  }

  @Test
  void aTableNoEntryNamesIsRefusedWithTheEntriesThatExist() {
    MappingOptions options = new MappingOptions();

    assertThatThrownBy(() -> options.forSource("orders"))
        .isInstanceOf(Refused.class)
        .hasMessage(
            "no entry of the mapping document (built-in) has source orders; its entries:"
                + " transactions (source transactions), user_profiles (source user-profiles);"
                + " pass the function's document with --mapping");
    assertThatThrownBy(() -> options.forShadow("transactions"))
        .hasMessageContaining("has shadow transactions")
        .hasMessageContaining("transactions (shadow transactions-backfill)");
  }

  @Test
  void aVersionOneDocumentsEntryTakesEveryTable() throws Exception {
    MappingOptions options = new MappingOptions();
    options.mappingFile = Files.writeString(dir.resolve("v1.json"), "{\"attributes\": {}}");

    assertThat(options.forSource("history-7").name()).isEqualTo("transactions");
    assertThat(options.quarantineTables(options.forSource("history-7"), "history-7")).isEmpty();
  }

  @Test
  void aPseudonymisedKeyNeedsTheHmacKeyRingAKeptOneDoesNot() {
    MappingOptions options = new MappingOptions();

    assertThatThrownBy(() -> options.keys(options.forSource("user-profiles")))
        .isInstanceOf(Refused.class)
        .hasMessage(
            "the key of mapping entry user_profiles is pseudonymised (userId): pass"
                + " --hmac-secret-file FILE, the key ring the function uses (HMAC_SECRET_FILE)");
    assertThat(options.keys(options.forSource("transactions")).table().name())
        .isEqualTo("transactions");
  }
}
