package dev.ddbwarehouse.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbwarehouse.core.InvalidConfigurationException;
import dev.ddbwarehouse.core.json.JsonValue;
import dev.ddbwarehouse.testing.HandlerLogs;
import dev.ddbwarehouse.testing.StreamEvents;
import dev.ddbwarehouse.testing.TransactionItem;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mapping document that would put a raw identifier in front of analysts fails the function's
 * start-up; one that names it in {@code storeIdentifyingRaw} starts, and says so at every start.
 */
class RawIdentifierOverrideIT {

  private static final TestWarehouse DB = TestWarehouse.shared();
  private static final String EMAIL_AS_EXTRA =
      "{\"attributes\":{\"email\":{\"treatment\":\"extra\"}}";

  @TempDir Path dir;

  @BeforeEach
  void clean() {
    DB.truncateAll();
  }

  private static StreamEvents oneInsert() {
    return StreamEvents.startingAt(1).insert(TransactionItem.of("t-1"));
  }

  @Test
  void anIdentifyingAttributeStoredRawFailsStartUpNamingIt() {
    assertThatThrownBy(
            () -> HandlerLogs.text(DB.writerEnvironment(), dir, EMAIL_AS_EXTRA + "}", oneInsert()))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("attributes.email: identifying attribute would be stored raw");
  }

  @Test
  void anExplicitOverrideStartsAndIsLoggedAsAWarning() {
    List<JsonValue> lines =
        HandlerLogs.lines(
            DB.writerEnvironment(),
            dir,
            EMAIL_AS_EXTRA + ",\"storeIdentifyingRaw\":[\"email\"]}",
            oneInsert());

    assertThat(lines)
        .filteredOn(l -> "WARN".equals(l.text("level")))
        .filteredOn(l -> String.valueOf(l.text("message")).contains("storeIdentifyingRaw"))
        .singleElement()
        .satisfies(l -> assertThat(l.text("attribute")).isEqualTo("email"));
  }
}
