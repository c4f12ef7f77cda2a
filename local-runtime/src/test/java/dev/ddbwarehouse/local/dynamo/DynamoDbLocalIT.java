package dev.ddbwarehouse.local.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

class DynamoDbLocalIT {

  /**
   * CI once lost a run to a port taken between being found free and being bound; the server now
   * moves on to a fresh port instead.
   */
  @Test
  void aPortTakenBeforeTheServerBindsIsPassedOverForTheNextOne() throws Exception {
    try (ServerSocket taken = new ServerSocket(0);
        ServerSocket probe = new ServerSocket(0)) {
      int free = probe.getLocalPort();
      probe.close();
      Deque<Integer> ports = new ArrayDeque<>();
      ports.add(taken.getLocalPort());
      ports.add(free);

      try (DynamoDbLocal local = DynamoDbLocal.start(ports::removeFirst)) {
        assertThat(local.endpoint().getPort()).isEqualTo(free);
        assertThat(local.dynamoDb().listTables().tableNames()).isEmpty();
      }
      assertThat(ports).isEmpty();
    }
  }
}
