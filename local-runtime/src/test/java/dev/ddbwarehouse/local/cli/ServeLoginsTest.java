package dev.ddbwarehouse.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.local.warehouse.LocalWarehouse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ServeLoginsTest {

  private static final String USER_PASSWORD = "Canary-user-9d2e";
  private static final String READER_PASSWORD = "generatedReader123";
  private static final String WRITER_PASSWORD = "generatedWriter456";

  private static String print(ServeLogins logins) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    logins.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void printsTheGeneratedReaderAndWriterLoginsSeparately() {
    String url = "jdbc:postgresql://localhost:5433/postgres";
    String printed =
        print(
            new ServeLogins(
                new LocalWarehouse.Login(url, "etl_loader", WRITER_PASSWORD),
                new LocalWarehouse.Login(url, "analyst", READER_PASSWORD),
                true));
    assertThat(printed)
        .contains("serving. BI connection (role bi_reader, schema bi):")
        .contains("  JDBC URL: " + url + "?user=analyst&password=" + READER_PASSWORD)
        .contains(
            "  psql:     psql \"postgresql://analyst:"
                + READER_PASSWORD
                + "@localhost:5433/postgres\" -c 'SELECT * FROM bi.transactions LIMIT 10'")
        .contains("writer login (role etl_writer, as the Lambda logs in; not for BI tools):")
        .contains("  JDBC URL: " + url + "?user=etl_loader&password=" + WRITER_PASSWORD);
  }

  @Test
  void neverPrintsAPasswordTheUserPassedIn() {
    String userUrl = "jdbc:postgresql://db:5432/wh?user=me&password=" + USER_PASSWORD + "&ssl=true";
    String printed =
        print(
            new ServeLogins(
                new LocalWarehouse.Login(userUrl, "me", USER_PASSWORD),
                new LocalWarehouse.Login(userUrl, "analyst", READER_PASSWORD),
                false));
    assertThat(printed).doesNotContain(USER_PASSWORD);
    assertThat(printed)
        .contains("  JDBC URL: jdbc:postgresql://db:5432/wh?ssl=true&user=analyst&password=")
        .contains(
            "writer login: yours, user me at jdbc:postgresql://db:5432/wh?user=me&password=***")
        .contains("(password not shown)");
  }
}
