package dev.ddbwarehouse.deployment;

import static dev.ddbwarehouse.deployment.CloudFormationYaml.at;
import static dev.ddbwarehouse.deployment.CloudFormationYaml.list;
import static dev.ddbwarehouse.deployment.CloudFormationYaml.map;
import static dev.ddbwarehouse.deployment.SamTemplateTest.actions;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.deployment.CloudFormationYaml.Intrinsic;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The erasure function of sam-template.yaml: the stream function's code and configuration, a role
 * of its own that grants only what erasure needs, and an encrypted request queue with a dead-letter
 * queue.
 */
class SamErasureFunctionTest {

  static final String HANDLER = "dev.ddbwarehouse.lambda.ErasureHandler::handleRequest";
  private static final String HMAC =
      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:hmac-Ab12";
  private static final String DB =
      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-etl-Cd34";
  private static final String ERASER =
      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-eraser-Ef56";
  private static final String KMS = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d";

  /** The environment keys the erasure function gets, all read by the stream function too. */
  private static final Set<String> ENVIRONMENT_KEYS =
      Set.of(
          "CONFIG_PARAMETER",
          "HMAC_SECRET_ID",
          "DB_SECRET_ID",
          "DB_SSL_MODE",
          "DB_PREPARE_THRESHOLD",
          "JAVA_TOOL_OPTIONS");

  private static final Intrinsic QUEUE_ARN = new Intrinsic("Fn::GetAtt", "ErasureQueue.Arn");

  private Map<String, Object> template;
  private Map<String, Object> resources;
  private Map<String, Object> parameters;
  private Map<String, Object> function;
  private Map<String, Object> streamFunction;

  @BeforeEach
  void load() {
    template = CloudFormationYaml.load(Repository.file("sam-template.yaml"));
    resources = map(template.get("Resources"), "Resources");
    parameters = map(template.get("Parameters"), "Parameters");
    function = map(at(resources, "ErasureFunction", "Properties"), "erasure function properties");
    streamFunction =
        map(at(resources, "TransactionStreamFunction", "Properties"), "function properties");
  }

  @Test
  void runsTheErasureHandlerOfTheStreamFunctionsJarOnTheSameRuntimeAndNetwork() {
    assertThat(at(resources, "ErasureFunction", "Type")).isEqualTo("AWS::Serverless::Function");
    assertThat(function.get("Handler")).isEqualTo(HANDLER);
    for (String same : List.of("CodeUri", "Runtime", "Architectures", "VpcConfig", "MemorySize")) {
      assertThat(function.get(same)).as(same).isNotNull().isEqualTo(streamFunction.get(same));
    }
    assertThat(function.get("CodeUri")).isEqualTo(SamTemplateTest.JAR);
    assertThat(function.get("FunctionName"))
        .isEqualTo(new Intrinsic("Fn::Sub", "ddb-warehouse-${Stage}-erasure"));
  }

  @Test
  void runsOneErasureAtATimeWithoutSnapStart() {
    assertThat(function.get("ReservedConcurrentExecutions")).isEqualTo(1);
    assertThat(function).doesNotContainKeys("SnapStart", "AutoPublishAlias");
    assertThat(timeout()).isBetween(60, 900);
  }

  @Test
  void getsTheStreamFunctionsConfigurationExceptItsDatabaseLoginAndJvmFlags() {
    Map<String, Object> variables = map(at(function, "Environment", "Variables"), "Variables");
    Map<String, Object> streamVariables =
        map(at(streamFunction, "Environment", "Variables"), "Variables");

    assertThat(variables.keySet()).containsExactlyInAnyOrderElementsOf(ENVIRONMENT_KEYS);
    Set<String> configKeys = new TreeSet<>(variables.keySet());
    configKeys.removeAll(SamTemplateTest.JVM_ENVIRONMENT_KEYS);
    assertThat(SamTemplateTest.CONFIG_ENVIRONMENT_KEYS)
        .as("keys the function's config reads")
        .containsAll(configKeys);
    for (String key : ENVIRONMENT_KEYS) {
      if (!key.equals("DB_SECRET_ID") && !key.equals("JAVA_TOOL_OPTIONS")) {
        assertThat(variables.get(key)).as(key).isEqualTo(streamVariables.get(key));
      }
    }
  }

  @Test
  void stopsItsJitAtC1WhileTheStreamFunctionCompilesWithC2() {
    // Erasures are rare and have no SnapStart: their cold start matters, their throughput not.
    assertThat(at(function, "Environment", "Variables", "JAVA_TOOL_OPTIONS"))
        .isEqualTo(Intrinsic.ref("ErasureJavaToolOptions"));
    assertThat(at(parameters, "ErasureJavaToolOptions", "Default"))
        .isEqualTo("-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
    assertThat(at(streamFunction, "Environment", "Variables", "JAVA_TOOL_OPTIONS"))
        .isEqualTo(Intrinsic.ref("JavaToolOptions"));
    // Lambda's java21 runtime stops at C1 by default: the stream function must say level 4.
    assertThat(at(parameters, "JavaToolOptions", "Default"))
        .isEqualTo("-XX:+TieredCompilation -XX:TieredStopAtLevel=4");
  }

  @Test
  void usesTheDbSecretWhenNoErasureLoginIsGiven() {
    TemplateEvaluator deployed = deploy(Map.of());

    assertThat(at(parameters, "ErasureDbSecretArn", "Default")).isEqualTo("");
    assertThat(deployedVariable(deployed, "DB_SECRET_ID")).isEqualTo(DB);
    assertThat(grant(deployed, "secretsmanager:GetSecretValue").resources())
        .containsExactly(HMAC, DB);
  }

  @Test
  void usesTheErasureLoginAndOnlyItWhenGiven() {
    TemplateEvaluator deployed = deploy(Map.of("ErasureDbSecretArn", ERASER));

    assertThat(deployedVariable(deployed, "DB_SECRET_ID")).isEqualTo(ERASER);
    assertThat(grant(deployed, "secretsmanager:GetSecretValue").resources())
        .as("the stream function's login is not readable by the erasure function")
        .containsExactly(HMAC, ERASER);
    Map<String, Object> streamVariables =
        map(
            deployed.resolve(
                at(
                    deployed.activeResources(),
                    "TransactionStreamFunction",
                    "Properties",
                    "Environment",
                    "Variables")),
            "Variables");
    assertThat(streamVariables.get("DB_SECRET_ID")).as("the stream function's").isEqualTo(DB);
  }

  @Test
  void erasureLoginParameterIsASecretArnOrEmpty() {
    Map<String, Object> parameter = map(parameters.get("ErasureDbSecretArn"), "ErasureDbSecretArn");
    String pattern = (String) parameter.get("AllowedPattern");

    assertThat(parameter.get("Type")).isEqualTo("String");
    assertThat(parameter.get("Description").toString()).contains("etl_eraser");
    assertThat("").matches(pattern);
    assertThat(ERASER).matches(pattern);
    assertThat(KMS).doesNotMatch(pattern);
    assertThat(pattern.substring("^$|".length()))
        .isEqualTo(at(parameters, "DbSecretArn", "AllowedPattern"));
  }

  @Test
  void hasARoleOfItsOwn() {
    assertThat(function.get("Role"))
        .isEqualTo(new Intrinsic("Fn::GetAtt", "ErasureFunctionRole.Arn"))
        .isNotEqualTo(streamFunction.get("Role"));
    assertThat(function)
        .as("SAM would add AWS managed policies with Resource *")
        .doesNotContainKey("Policies");
    Map<String, Object> role = map(resources.get("ErasureFunctionRole"), "ErasureFunctionRole");
    assertThat(role.get("Type")).isEqualTo("AWS::IAM::Role");
    assertThat(map(role.get("Properties"), "role")).doesNotContainKeys("ManagedPolicyArns");
    assertThat(
            at(
                map(
                    list(at(role, "Properties", "AssumeRolePolicyDocument", "Statement"), "trust")
                        .get(0),
                    "trust statement"),
                "Principal",
                "Service"))
        .isEqualTo("lambda.amazonaws.com");
  }

  @Test
  void roleGrantsOnlyTheListedActionsOnOnlyTheListedResources() {
    TemplateEvaluator deployed = deploy(Map.of("KmsKeyArn", KMS));

    Map<Set<String>, List<Object>> grants = new LinkedHashMap<>();
    for (Map<String, Object> statement : statements(deployed, "ErasureFunctionRole")) {
      assertThat(statement.get("Effect")).isEqualTo("Allow");
      assertThat(grants.put(new TreeSet<>(actions(statement)), resources(statement)))
          .as("one statement per set of actions")
          .isNull();
    }

    assertThat(grants)
        .containsOnly(
            Map.entry(Set.of("secretsmanager:GetSecretValue"), List.of(HMAC, DB)),
            Map.entry(
                Set.of("ssm:GetParameter"),
                List.of(
                    new Intrinsic(
                        "Fn::Sub",
                        "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${ConfigParameterName}"))),
            Map.entry(Set.of("kms:Decrypt"), List.of(KMS)),
            Map.entry(
                Set.of(
                    "sqs:ReceiveMessage",
                    "sqs:DeleteMessage",
                    "sqs:GetQueueAttributes",
                    "sqs:ChangeMessageVisibility"),
                List.of(QUEUE_ARN)),
            Map.entry(
                Set.of("logs:CreateLogStream", "logs:PutLogEvents"),
                List.of(new Intrinsic("Fn::GetAtt", "ErasureFunctionLogGroup.Arn"))),
            Map.entry(
                Set.of(
                    "ec2:CreateNetworkInterface",
                    "ec2:DescribeNetworkInterfaces",
                    "ec2:DeleteNetworkInterface",
                    "ec2:AssignPrivateIpAddresses",
                    "ec2:UnassignPrivateIpAddresses"),
                List.of("*")));
  }

  @Test
  void kmsAndNetworkGrantsAreTheStreamFunctionsOwn() {
    TemplateEvaluator deployed = deploy(Map.of("KmsKeyArn", KMS));
    List<Map<String, Object>> erasure = statements(deployed, "ErasureFunctionRole");
    List<Map<String, Object>> stream = statements(deployed, "FunctionRole");

    for (String action : List.of("kms:Decrypt", "ec2:CreateNetworkInterface")) {
      assertThat(SamTemplateTest.statement(erasure, action))
          .as(action + ": same actions, resources and condition")
          .isEqualTo(SamTemplateTest.statement(stream, action));
    }
  }

  @Test
  void withoutAKmsKeyTheRoleGrantsNoDecrypt() {
    assertThat(statements(deploy(Map.of()), "ErasureFunctionRole"))
        .flatExtracting(SamTemplateTest::actions)
        .doesNotContain("kms:Decrypt")
        .hasSize(13);
  }

  @Test
  void roleCannotTouchDynamoDbTheFailureQueueOrAnyWildcardResourceButNetworkInterfaces() {
    for (Map<String, Object> statement :
        statements(deploy(Map.of("KmsKeyArn", KMS)), "ErasureFunctionRole")) {
      assertThat(actions(statement))
          .allSatisfy(
              action ->
                  assertThat(action)
                      .doesNotContain("*")
                      .doesNotStartWith("dynamodb:")
                      .isNotEqualTo("sqs:SendMessage"));
      List<Object> named = resources(statement);
      assertThat(named).as("no empty resource").doesNotContainNull().doesNotContain("");
      assertThat(named).doesNotContain(new Intrinsic("Fn::GetAtt", "FailureQueue.Arn"));
      if (named.contains("*")) {
        assertThat(actions(statement))
            .as("only ENI management may use Resource *")
            .allSatisfy(
                action ->
                    assertThat(action)
                        .matches("ec2:[A-Za-z]*(NetworkInterfaces?|PrivateIpAddresses)"));
      }
    }
  }

  @Test
  void logsGoToItsOwnLogGroupWithRetention() {
    Map<String, Object> logGroup = map(resources.get("ErasureFunctionLogGroup"), "log group");
    assertThat(logGroup.get("Type")).isEqualTo("AWS::Logs::LogGroup");
    assertThat(at(logGroup, "Properties", "LogGroupName"))
        .isEqualTo(new Intrinsic("Fn::Sub", "/aws/lambda/ddb-warehouse-${Stage}-erasure"));
    assertThat(at(logGroup, "Properties", "RetentionInDays"))
        .isEqualTo(Intrinsic.ref("LogRetentionInDays"));
    assertThat(at(function, "LoggingConfig", "LogGroup"))
        .isEqualTo(Intrinsic.ref("ErasureFunctionLogGroup"));
  }

  @Test
  void queueIsEncryptedAndHandsRepeatedFailuresToAnEncryptedDeadLetterQueue() {
    Map<String, Object> queue = queue("ErasureQueue");
    Map<String, Object> deadLetters = queue("ErasureDeadLetterQueue");

    assertThat(at(queue, "RedrivePolicy", "deadLetterTargetArn"))
        .isEqualTo(new Intrinsic("Fn::GetAtt", "ErasureDeadLetterQueue.Arn"));
    assertThat(at(queue, "RedrivePolicy", "maxReceiveCount"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.INTEGER)
        .isBetween(2, 10);
    assertThat(deadLetters).doesNotContainKey("RedrivePolicy");
    assertThat(((Number) queue.get("VisibilityTimeout")).intValue())
        .as("Lambda's advice for an SQS source: six times the function's timeout")
        .isGreaterThanOrEqualTo(6 * timeout());
  }

  @Test
  void readsTheQueueReportingEachFailedRequest() {
    Map<String, Object> events = map(function.get("Events"), "Events");
    assertThat(events).hasSize(1);
    Map<String, Object> event = map(events.values().iterator().next(), "event");

    assertThat(event.get("Type")).isEqualTo("SQS");
    Map<String, Object> properties = map(event.get("Properties"), "event properties");
    assertThat(properties.get("Queue")).isEqualTo(QUEUE_ARN);
    assertThat(properties.get("FunctionResponseTypes"))
        .as("a failed request is retried alone, the others of its batch are not repeated")
        .isEqualTo(List.of("ReportBatchItemFailures"));
    assertThat(properties.get("BatchSize"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.INTEGER)
        .isBetween(1, 5);
    assertThat(properties).doesNotContainKey("Enabled");
  }

  @Test
  void alarmsOnARequestInTheDeadLetterQueueAndOnFunctionErrors() {
    Map<String, Object> deadLetters =
        map(at(resources, "ErasureDeadLetterQueueAlarm", "Properties"), "alarm");
    assertThat(deadLetters.get("MetricName")).isEqualTo("ApproximateNumberOfMessagesVisible");
    assertThat(deadLetters.get("Dimensions"))
        .isEqualTo(
            List.of(
                Map.of(
                    "Name",
                    "QueueName",
                    "Value",
                    new Intrinsic("Fn::GetAtt", "ErasureDeadLetterQueue.QueueName"))));
    assertThat(deadLetters.get("Threshold")).isEqualTo(0);

    Map<String, Object> errors = map(at(resources, "ErasureErrorsAlarm", "Properties"), "alarm");
    assertThat(errors.get("MetricName")).isEqualTo("Errors");
    assertThat(errors.get("Dimensions"))
        .isEqualTo(
            List.of(Map.of("Name", "FunctionName", "Value", Intrinsic.ref("ErasureFunction"))));
    for (Map<String, Object> alarm : List.of(deadLetters, errors)) {
      assertThat(alarm.get("AlarmActions"))
          .isEqualTo(at(resources, "IteratorAgeAlarm", "Properties", "AlarmActions"));
    }
  }

  @Test
  void outputsNameTheFunctionAndTheQueue() {
    Map<String, Object> outputs = map(template.get("Outputs"), "Outputs");

    assertThat(at(outputs, "ErasureFunctionName", "Value"))
        .isEqualTo(Intrinsic.ref("ErasureFunction"));
    assertThat(at(outputs, "ErasureQueueUrl", "Value")).isEqualTo(Intrinsic.ref("ErasureQueue"));
    assertThat(at(outputs, "ErasureQueueArn", "Value")).isEqualTo(QUEUE_ARN);
  }

  @Test
  void deploymentRoleMayCreateTheFunctionItsConcurrencyAndItsLogGroup() {
    Map<String, Object> policy =
        CloudFormationYaml.load(Repository.file("deploy/cloudformation-role-policy.json"));
    List<Map<String, Object>> statements =
        list(policy.get("Statement"), "Statement").stream().map(s -> map(s, "statement")).toList();
    String account = "arn:@PARTITION@:lambda:@REGION@:@ACCOUNT_ID@:";

    Map<String, Object> functions = SamTemplateTest.statement(statements, "lambda:CreateFunction");
    assertThat(actions(functions)).contains("lambda:PutFunctionConcurrency");
    assertThat(resources(functions)).contains(account + "function:ddb-warehouse-@STAGE@-erasure");
    assertThat(resources(SamTemplateTest.statement(statements, "logs:CreateLogGroup")))
        .contains(
            "arn:@PARTITION@:logs:@REGION@:@ACCOUNT_ID@:log-group:/aws/lambda/ddb-warehouse-@STAGE@-erasure");
  }

  private int timeout() {
    Object timeout = function.get("Timeout");
    assertThat(timeout)
        .as("a literal: the queue's visibility timeout is derived from it")
        .isInstanceOf(Integer.class);
    return (Integer) timeout;
  }

  private Map<String, Object> queue(String id) {
    assertThat(at(resources, id, "Type")).isEqualTo("AWS::SQS::Queue");
    Map<String, Object> properties = map(at(resources, id, "Properties"), id);
    assertThat(properties.get("SqsManagedSseEnabled")).as(id).isEqualTo(true);
    assertThat(properties.get("MessageRetentionPeriod")).as(id + ": 14 days").isEqualTo(1209600);
    return properties;
  }

  private TemplateEvaluator deploy(Map<String, String> extra) {
    Map<String, String> values = new HashMap<>(extra);
    values.put("SourceStreamArns", SamStreamMappingsTest.TRANSACTIONS);
    values.put("HmacSecretArn", HMAC);
    values.put("DbSecretArn", DB);
    return TemplateEvaluator.deployed(template, values);
  }

  private static Object deployedVariable(TemplateEvaluator deployed, String key) {
    return at(
        map(
            deployed.resolve(
                at(
                    deployed.activeResources(),
                    "ErasureFunction",
                    "Properties",
                    "Environment",
                    "Variables")),
            "Variables"),
        key);
  }

  private record Grant(List<String> actions, List<Object> resources) {}

  private static Grant grant(TemplateEvaluator deployed, String action) {
    Map<String, Object> statement =
        SamTemplateTest.statement(statements(deployed, "ErasureFunctionRole"), action);
    return new Grant(actions(statement), resources(statement));
  }

  /** The role's statements as CloudFormation creates them: conditions applied, NoValue gone. */
  static List<Map<String, Object>> statements(TemplateEvaluator deployed, String role) {
    List<?> policies =
        list(
            deployed.resolve(at(deployed.activeResources(), role, "Properties", "Policies")),
            "Policies");
    List<Map<String, Object>> statements = new ArrayList<>();
    for (Object policy : policies) {
      list(at(map(policy, "policy"), "PolicyDocument", "Statement"), "Statement")
          .forEach(s -> statements.add(map(s, "statement")));
    }
    return statements;
  }

  private static List<Object> resources(Map<String, Object> statement) {
    Object resource = statement.get("Resource");
    List<Object> named = new ArrayList<>();
    if (resource instanceof List<?> several) {
      named.addAll(several);
    } else {
      named.add(resource);
    }
    return named;
  }
}
