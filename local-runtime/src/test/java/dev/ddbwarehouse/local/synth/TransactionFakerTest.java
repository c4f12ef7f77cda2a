package dev.ddbwarehouse.local.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TransactionFakerTest {

  @Test
  void sameSeedGivesTheSameTransactions() {
    TransactionFaker a = new TransactionFaker(42, 100);
    TransactionFaker b = new TransactionFaker(42, 100);

    List<SyntheticTransaction> first = IntStream.range(0, 50).mapToObj(i -> a.next()).toList();
    List<SyntheticTransaction> second = IntStream.range(0, 50).mapToObj(i -> b.next()).toList();

    assertThat(first).isEqualTo(second);
  }

  @Test
  void differentSeedsGiveDifferentTransactions() {
    assertThat(new TransactionFaker(1, 10).next().transactionId())
        .isNotEqualTo(new TransactionFaker(2, 10).next().transactionId());
  }

  @Test
  void itemsCarryEverySourceAttributeInItsDynamoDbType() {
    SyntheticTransaction t = new TransactionFaker(7, 10).next();

    var item = t.toItem();

    assertThat(item)
        .containsKeys(
            "transactionId",
            "userId",
            "accountId",
            "counterpartyIban",
            "counterpartyName",
            "email",
            "phone",
            "ipAddress",
            "amount",
            "currency",
            "type",
            "status",
            "merchantName",
            "merchantCategoryCode",
            "country",
            "tags",
            "createdAt",
            "updatedAt",
            "metadata");
    assertThat(item.get("amount").n()).matches("\\d+(\\.\\d{2})?");
    assertThat(item.get("merchantCategoryCode").s()).matches("\\d{4}");
    assertThat(item.get("currency").s()).matches("[A-Z]{3}");
    assertThat(item.get("country").s()).matches("[A-Z]{2}");
    assertThat(item.get("tags").ss()).isNotEmpty();
    assertThat(item.get("createdAt").s()).matches("\\d{4}-\\d\\d-\\d\\dT.*(Z|[+-]\\d\\d:\\d\\d)");
  }

  @Test
  void identifyingValuesAreTheSevenPersonalAttributes() {
    SyntheticTransaction t = new TransactionFaker(9, 10).next();

    assertThat(t.identifyingValues())
        .hasSize(7)
        .allSatisfy(v -> assertThat(v).hasSizeGreaterThanOrEqualTo(5));
    assertThat(t.identifyingValues())
        .contains(t.person().email(), t.ipAddress(), t.counterpartyIban());
  }

  @Test
  void ibansHaveValidCheckDigits() {
    TransactionFaker faker = new TransactionFaker(3, 200);
    for (int i = 0; i < 50; i++) {
      String iban = faker.next().counterpartyIban().replace(" ", "");
      String rearranged = iban.substring(4) + "1314" + iban.substring(2, 4);
      assertThat(
              new java.math.BigInteger(rearranged).mod(java.math.BigInteger.valueOf(97)).intValue())
          .as("mod-97 check of a generated IBAN")
          .isEqualTo(1);
    }
  }
}
