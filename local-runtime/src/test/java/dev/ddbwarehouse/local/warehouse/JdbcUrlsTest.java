package dev.ddbwarehouse.local.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JdbcUrlsTest {

  private static final String CANARY = "Canary-7f3a";

  @Test
  void dropsUserAndPasswordButKeepsOtherParameters() {
    assertThat(
            JdbcUrls.withoutCredentials(
                "jdbc:postgresql://h/db?user=u&password=" + CANARY + "&sslmode=require"))
        .isEqualTo("jdbc:postgresql://h/db?sslmode=require");
    assertThat(JdbcUrls.withoutCredentials("jdbc:postgresql://h/db?user=u"))
        .isEqualTo("jdbc:postgresql://h/db");
  }

  @Test
  void loginToStringShowsNoPassword() {
    LocalWarehouse.Login login =
        new LocalWarehouse.Login("jdbc:postgresql://h/db?password=" + CANARY, "u", CANARY);
    assertThat(login.toString()).doesNotContain(CANARY);
  }
}
