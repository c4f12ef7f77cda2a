package dev.ddbwarehouse.local.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JdbcUrlsTest {

  private static final String CANARY = "Canary-7f3a";

  @Test
  void masksAPasswordParameterWhereverItSits() {
    assertThat(JdbcUrls.masked("jdbc:postgresql://h:5432/db?user=u&password=" + CANARY))
        .isEqualTo("jdbc:postgresql://h:5432/db?user=u&password=***");
    assertThat(JdbcUrls.masked("jdbc:postgresql://h/db?PASSWORD=" + CANARY + "&ssl=true"))
        .isEqualTo("jdbc:postgresql://h/db?PASSWORD=***&ssl=true");
  }

  @Test
  void masksAPasswordInTheUserInfo() {
    assertThat(JdbcUrls.masked("jdbc:postgresql://me:" + CANARY + "@h:5432/db"))
        .isEqualTo("jdbc:postgresql://me:***@h:5432/db");
  }

  @Test
  void leavesAUrlWithoutPasswordAsItIs() {
    String url = "jdbc:postgresql://localhost:5432/warehouse?user=me&sslmode=require";
    assertThat(JdbcUrls.masked(url)).isEqualTo(url);
  }

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
