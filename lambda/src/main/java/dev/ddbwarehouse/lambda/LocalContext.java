package dev.ddbwarehouse.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.time.Duration;

/**
 * The {@link Context} Lambda would pass, for running the handler outside Lambda (the local runtime,
 * invoke-local, tests): the remaining time counts down from a function timeout, as in Lambda.
 */
public final class LocalContext implements Context {

  private final String functionName;
  private final long deadlineNanos;
  private final int timeoutMillis;

  private LocalContext(String functionName, Duration timeout) {
    this.functionName = functionName;
    this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    this.deadlineNanos = System.nanoTime() + timeout.toNanos();
  }

  /** An invocation starting now that Lambda would end after {@code timeout}. */
  public static LocalContext startingNow(Duration timeout) {
    return new LocalContext("local", timeout);
  }

  @Override
  public int getRemainingTimeInMillis() {
    long left = (deadlineNanos - System.nanoTime()) / 1_000_000L;
    return (int) Math.clamp(left, 0, timeoutMillis);
  }

  @Override
  public String getFunctionName() {
    return functionName;
  }

  @Override
  public String getAwsRequestId() {
    return "local";
  }

  @Override
  public String getLogGroupName() {
    return null;
  }

  @Override
  public String getLogStreamName() {
    return null;
  }

  @Override
  public String getFunctionVersion() {
    return "$LATEST";
  }

  @Override
  public String getInvokedFunctionArn() {
    return null;
  }

  @Override
  public CognitoIdentity getIdentity() {
    return null;
  }

  @Override
  public ClientContext getClientContext() {
    return null;
  }

  @Override
  public int getMemoryLimitInMB() {
    return (int) (Runtime.getRuntime().maxMemory() >> 20);
  }

  @Override
  public LambdaLogger getLogger() {
    return null;
  }
}
