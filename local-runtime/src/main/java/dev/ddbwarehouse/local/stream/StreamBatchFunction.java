package dev.ddbwarehouse.local.stream;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;

/**
 * What the event source mapping invokes: the function behind a DynamoDB stream.
 *
 * <p>Contract, as for a Lambda function with {@code ReportBatchItemFailures}: returning a response
 * with no {@code batchItemFailures} means every record of the event is done; naming a record's
 * sequence number means every record before it is done and delivery resumes at it; throwing is a
 * function error, after which nothing of the event counts as done.
 */
@FunctionalInterface
public interface StreamBatchFunction {

  StreamsEventResponse invoke(LambdaEvent event);
}
