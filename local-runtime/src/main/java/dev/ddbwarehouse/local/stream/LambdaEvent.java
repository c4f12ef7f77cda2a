package dev.ddbwarehouse.local.stream;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import java.util.List;

/**
 * One invocation's event as the event source mapping sends it: the rendered records, and the JSON
 * bytes the function receives ({@link #json()}), exactly as Lambda would deliver them.
 */
public record LambdaEvent(List<StreamRecordJson> records) {

  public LambdaEvent {
    records = List.copyOf(records);
  }

  /** The event's bytes: what the function reads. */
  public byte[] json() {
    return LambdaEventJson.event(records);
  }

  /** The event read by the Lambda runtime's serialiser: for tools and tests that inspect it. */
  public DynamodbEvent parsed() {
    return new LambdaEventParser().parse(json());
  }

  /** The first {@code n} records as an event of their own. */
  public LambdaEvent first(int n) {
    return new LambdaEvent(records.subList(0, n));
  }
}
