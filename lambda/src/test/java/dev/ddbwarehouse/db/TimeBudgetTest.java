package dev.ddbwarehouse.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TimeBudgetTest {

  @Test
  void reservesATenthOfTheRemainingTimeBetweenHalfASecondAndTenSeconds() {
    assertThat(TimeBudget.reserveMillis(3_000)).isEqualTo(500);
    assertThat(TimeBudget.reserveMillis(60_000)).isEqualTo(6_000);
    assertThat(TimeBudget.reserveMillis(900_000)).isEqualTo(10_000);
  }

  @Test
  void serverSideBudgetEndsBeforeTheClientGivesUpAndBothBeforeLambdaDoes() {
    TimeBudget budget = new TimeBudget();
    budget.begin(60_000);

    long work = budget.workMillisLeft();
    long hard = budget.hardMillisLeft();

    assertThat(work).isBetween(53_000L, 54_000L);
    assertThat(hard - work).as("half the reserve between them").isBetween(2_990L, 3_010L);
    assertThat(hard).isLessThan(60_000L);
  }

  @Test
  void isUnboundedUntilTheFirstInvocation() {
    TimeBudget budget = new TimeBudget();

    assertThat(budget.bounded()).isFalse();
    assertThat(budget.hardMillisLeft()).isEqualTo(Long.MAX_VALUE);
    assertThat(TransactionDeadline.canStart(budget)).isTrue();
  }

  @Test
  void leavesNoTimeToStartWhenTheRemainingTimeIsAllReserve() {
    TimeBudget budget = new TimeBudget();
    budget.begin(400);

    assertThat(budget.workMillisLeft()).isLessThanOrEqualTo(0);
    assertThat(TransactionDeadline.canStart(budget)).isFalse();
  }
}
