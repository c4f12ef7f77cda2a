package dev.ddbwarehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JdbcUrlTest {

  @Test
  void masksThePasswordParameterWhereverItStands() {
    assertThat(JdbcUrl.masked("jdbc:postgresql://db:5432/w?password=s3cret&user=me"))
        .isEqualTo("jdbc:postgresql://db:5432/w?password=***&user=me");
    assertThat(JdbcUrl.masked("jdbc:postgresql://db/w?user=me&PASSWORD=s3cret"))
        .isEqualTo("jdbc:postgresql://db/w?user=me&PASSWORD=***");
  }

  @Test
  void masksAUrlQuotedInAMessage() {
    assertThat(JdbcUrl.masked("cannot reach jdbc:postgresql://db/w?user=me&password=s3cret now"))
        .isEqualTo("cannot reach jdbc:postgresql://db/w?user=me&password=*** now");
  }

  @Test
  void masksTheClientKeyPasswordToo() {
    assertThat(JdbcUrl.masked("jdbc:postgresql://db/w?sslmode=verify-full&sslpassword=k3y"))
        .isEqualTo("jdbc:postgresql://db/w?sslmode=verify-full&sslpassword=***");
  }

  @Test
  void leavesOtherParametersAlone() {
    assertThat(JdbcUrl.masked("jdbc:postgresql://db/w?user=me&passwordless=y&sslmode=require"))
        .isEqualTo("jdbc:postgresql://db/w?user=me&passwordless=y&sslmode=require");
  }

  @Test
  void masksAPasswordInTheUserInfo() {
    assertThat(JdbcUrl.masked("jdbc:postgresql://me:s3cret@db:5432/w"))
        .isEqualTo("jdbc:postgresql://me:***@db:5432/w");
  }
}
