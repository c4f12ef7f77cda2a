package dev.ddbwarehouse.sink.jooq;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlFailureTest {

  @ParameterizedTest
  @ValueSource(strings = {"21000", "22021", "22003", "23505", "23514", "54000"})
  void refusalsThatRepeatOnEveryRetryRejectTheData(String sqlState) {
    assertThat(SqlFailure.of(new SQLException("x", sqlState)).rejectsData()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"08006", "40001", "40P01", "42501", "42P01", "53100", "57P01"})
  void failuresAnOperatorOrATimeCanFixAreNotRejectedData(String sqlState) {
    assertThat(SqlFailure.of(new SQLException("x", sqlState)).rejectsData()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"23505"})
  void aUniqueViolationIsAStoredKey(String sqlState) {
    assertThat(SqlFailure.of(new SQLException("x", sqlState)).storedKey()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"23503", "23514", "40P01", "08006", "unknown"})
  void otherFailuresAreNotAStoredKey(String sqlState) {
    assertThat(SqlFailure.of(new SQLException("x", sqlState)).storedKey()).isFalse();
  }
}
