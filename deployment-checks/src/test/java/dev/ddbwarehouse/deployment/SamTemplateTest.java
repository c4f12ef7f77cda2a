package dev.ddbwarehouse.deployment;

import static dev.ddbwarehouse.deployment.CloudFormationYaml.at;
import static dev.ddbwarehouse.deployment.CloudFormationYaml.list;
import static dev.ddbwarehouse.deployment.CloudFormationYaml.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.config.EtlConfig;
import dev.ddbwarehouse.deployment.CloudFormationYaml.Intrinsic;
import dev.ddbwarehouse.local.cli.InvokeLocal;
import dev.ddbwarehouse.observability.BatchTelemetry;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class SamTemplateTest {

  static final String HANDLER = "dev.ddbwarehouse.lambda.StreamHandler::handleRequest";
  static final String HANDLER_SOURCE =
      "lambda/src/main/java/dev/ddbwarehouse/lambda/StreamHandler.java";
  static final String JAR = "lambda/target/ddb-warehouse-lambda.jar";

  /**
   * The environment keys the function's config reads: taken from the code, so they cannot drift.
   */
  static final Set<String> CONFIG_ENVIRONMENT_KEYS = EtlConfig.ENVIRONMENT_KEYS;

  /** Read by the JVM itself, not by the config. */
  static final Set<String> JVM_ENVIRONMENT_KEYS = Set.of("JAVA_TOOL_OPTIONS");

  /** Metrics Lambda itself reports per function. */
  private static final Set<String> LAMBDA_METRICS =
      Set.of(
          "Invocations", "Errors", "Throttles", "Duration", "IteratorAge", "ConcurrentExecutions");

  private Map<String, Object> template;
  private Map<String, Object> resources;
  private Map<String, Object> parameters;
  private Map<String, Object> function;

  @BeforeEach
  void load() {
    template = CloudFormationYaml.load(Repository.file("sam-template.yaml"));
    resources = map(template.get("Resources"), "Resources");
    parameters = map(template.get("Parameters"), "Parameters");
    function = map(at(resources, "TransactionStreamFunction", "Properties"), "function properties");
  }

  @Test
  void namesTheHandlerTheLambdaModuleDefines() {
    assertThat(at(resources, "TransactionStreamFunction", "Type"))
        .isEqualTo("AWS::Serverless::Function");
    assertThat(function.get("Handler")).isEqualTo(HANDLER);
    assertThat(function.get("CodeUri")).isEqualTo(JAR);
    assertThat(Repository.file(HANDLER_SOURCE)).as("the class the Handler names").isRegularFile();
  }

  @Test
  void runsJava21OnArm64WithSnapStartBehindAnAlias() {
    assertThat(function.get("Runtime")).isEqualTo("java21");
    assertThat(function.get("Architectures")).isEqualTo(List.of("arm64"));
    assertThat(at(function, "SnapStart", "ApplyOn")).isEqualTo("PublishedVersions");
    assertThat(function.get("AutoPublishAlias"))
        .as("SnapStart only covers published versions")
        .isNotNull();
    assertThat(function.get("MemorySize")).isEqualTo(Intrinsic.ref("MemorySize"));
    assertThat(function.get("Timeout")).isEqualTo(Intrinsic.ref("Timeout"));
    assertThat(parameters).containsKeys("MemorySize", "Timeout");
  }

  @Test
  void setsExactlyTheEnvironmentTheConfigReads() {
    Set<String> keys = map(at(function, "Environment", "Variables"), "Variables").keySet();

    Set<String> configKeys = new TreeSet<>(keys);
    configKeys.removeAll(JVM_ENVIRONMENT_KEYS);
    assertThat(configKeys).containsExactlyInAnyOrderElementsOf(CONFIG_ENVIRONMENT_KEYS);
    assertThat(keys).containsAll(JVM_ENVIRONMENT_KEYS);
  }

  @Test
  void roleGrantsReadsOnTheExactSecretsAndParameter() {
    assertThat(function.get("Role")).isEqualTo(new Intrinsic("Fn::GetAtt", "FunctionRole.Arn"));
    assertThat(function)
        .as("SAM would add AWS managed policies with Resource *")
        .doesNotContainKey("Policies");
    List<Map<String, Object>> statements = statements();

    assertThat(statement(statements, "secretsmanager:GetSecretValue").get("Resource"))
        .isEqualTo(List.of(Intrinsic.ref("HmacSecretArn"), Intrinsic.ref("DbSecretArn")));
    assertThat(statement(statements, "ssm:GetParameter").get("Resource"))
        .isEqualTo(
            new Intrinsic(
                "Fn::Sub",
                "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${ConfigParameterName}"));
    assertThat(statement(statements, "sqs:SendMessage").get("Resource"))
        .isEqualTo(new Intrinsic("Fn::GetAtt", "FailureQueue.Arn"));
  }

  @Test
  void grantsKmsDecryptOnlyWhenAKeyIsGiven() {
    Object conditional =
        rawStatements().stream()
            .filter(Intrinsic.class::isInstance)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no conditional statement"));
    List<?> branches = list(((Intrinsic) conditional).argument(), "Fn::If");

    assertThat(branches.get(0)).isEqualTo("HasKmsKey");
    Map<String, Object> decrypt = map(branches.get(1), "kms statement");
    assertThat(decrypt.get("Action")).isEqualTo("kms:Decrypt");
    assertThat(decrypt.get("Resource")).isEqualTo(Intrinsic.ref("KmsKeyArn"));
    assertThat(branches.get(2)).isEqualTo(Intrinsic.ref("AWS::NoValue"));
    assertThat(at(parameters, "KmsKeyArn", "Default")).isEqualTo("");
  }

  @Test
  void grantsNoWildcardBeyondTheVpcNetworkInterfaces() {
    Map<String, String> everyStatement = new HashMap<>(SamStreamMappingsTest.EVERY_KIND_OF_STREAM);
    everyStatement.put("KmsKeyArn", "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d");
    TemplateEvaluator deployed = TemplateEvaluator.deployed(template, everyStatement);
    List<?> resolved =
        list(
            deployed.resolve(
                at(deployed.activeResources(), "FunctionRole", "Properties", "Policies")),
            "Policies");
    List<Map<String, Object>> statements = new ArrayList<>();
    for (Object policy : resolved) {
      list(at(map(policy, "policy"), "PolicyDocument", "Statement"), "Statement")
          .forEach(s -> statements.add(map(s, "statement")));
    }
    assertThat(statements).as("every conditional statement included").hasSize(9);

    for (Map<String, Object> statement : statements) {
      assertThat(actions(statement)).allSatisfy(action -> assertThat(action).doesNotContain("*"));
      Object resource = statement.get("Resource");
      List<Object> named =
          resource instanceof List<?> several ? List.copyOf(several) : List.of(resource);
      assertThat(named).as("no empty resource").doesNotContain("");
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
  void logsGoToAnExplicitLogGroupWithRetention() {
    Map<String, Object> logGroup = map(resources.get("FunctionLogGroup"), "FunctionLogGroup");
    assertThat(logGroup.get("Type")).isEqualTo("AWS::Logs::LogGroup");
    assertThat(at(logGroup, "Properties", "RetentionInDays"))
        .isEqualTo(Intrinsic.ref("LogRetentionInDays"));
    assertThat(at(function, "LoggingConfig", "LogGroup"))
        .isEqualTo(Intrinsic.ref("FunctionLogGroup"));
    assertThat(statement(statements(), "logs:PutLogEvents").get("Resource"))
        .isEqualTo(new Intrinsic("Fn::GetAtt", "FunctionLogGroup.Arn"));
  }

  @Test
  void alarmsWatchIteratorAgeErrorsAndTheFailureQueue() {
    // Namespace and metric of each alarm; the erasure function's alarms watch the same metrics.
    Set<String> alarms =
        resources.values().stream()
            .map(resource -> map(resource, "resource"))
            .filter(resource -> "AWS::CloudWatch::Alarm".equals(resource.get("Type")))
            .map(resource -> map(resource.get("Properties"), "alarm"))
            .map(p -> p.get("Namespace") + " " + p.get("MetricName"))
            .collect(Collectors.toSet());

    assertThat(alarms)
        .contains(
            "AWS/Lambda IteratorAge",
            "AWS/Lambda Errors",
            "AWS/SQS ApproximateNumberOfMessagesVisible");
    Object queueDimension =
        map(
                list(
                        at(resources, "FailureQueueDepthAlarm", "Properties", "Dimensions"),
                        "Dimensions")
                    .get(0),
                "dimension")
            .get("Value");
    assertThat(queueDimension).isEqualTo(new Intrinsic("Fn::GetAtt", "FailureQueue.QueueName"));
  }

  @Test
  void alarmsWatchQuarantinedRecordsAndFailedBatchesOnTheMetricsTheFunctionEmits() {
    Map<String, Object> quarantined = alarm("QuarantinedRecordsAlarm", "RecordsQuarantined");
    assertThat(quarantined.get("Threshold"))
        .isEqualTo(Intrinsic.ref("QuarantinedRecordsAlarmThreshold"));
    assertThat(at(parameters, "QuarantinedRecordsAlarmThreshold", "Default")).isEqualTo(0);

    Map<String, Object> failed = alarm("FailedBatchesAlarm", "BatchFailed");
    assertThat(failed.get("Period")).isEqualTo(60);
    assertThat(failed.get("EvaluationPeriods"))
        .isEqualTo(Intrinsic.ref("FailedBatchesAlarmMinutes"))
        .isEqualTo(failed.get("DatapointsToAlarm"));
    assertThat(failed.get("Threshold")).isEqualTo(0);

    Map<String, Object> refused =
        alarm("ConfigurationRefusedAlarm", BatchTelemetry.CONFIGURATION_REFUSED);
    assertThat(refused.get("Threshold")).as("the first refusal alarms").isEqualTo(0);
  }

  /** An alarm on one of the function's EMF metrics, with the dimension its documents carry. */
  private Map<String, Object> alarm(String resource, String metric) {
    assertThat(at(resources, resource, "Type")).isEqualTo("AWS::CloudWatch::Alarm");
    Map<String, Object> p = map(at(resources, resource, "Properties"), resource);
    assertThat(p.get("Namespace")).isEqualTo(BatchTelemetry.NAMESPACE);
    assertThat(
            BatchTelemetry.METRIC_NAMES.contains(metric)
                || BatchTelemetry.EVENT_METRIC_NAMES.contains(metric))
        .as(metric + " is emitted by the function")
        .isTrue();
    assertThat(p.get("MetricName")).isEqualTo(metric);
    assertThat(p.get("Dimensions"))
        .isEqualTo(
            List.of(
                Map.of(
                    "Name",
                    BatchTelemetry.DIMENSION,
                    "Value",
                    Intrinsic.ref("TransactionStreamFunction"))));
    assertThat(p.get("Statistic")).isEqualTo("Sum");
    assertThat(p.get("ComparisonOperator")).isEqualTo("GreaterThanThreshold");
    assertThat(p.get("AlarmActions"))
        .isEqualTo(at(resources, "IteratorAgeAlarm", "Properties", "AlarmActions"));
    return p;
  }

  @Test
  void dashboardShowsThePipelineWithOnlyMetricsTheFunctionHas() {
    assertThat(at(resources, "Dashboard", "Type")).isEqualTo("AWS::CloudWatch::Dashboard");
    Object body = at(resources, "Dashboard", "Properties", "DashboardBody");
    assertThat(body).isInstanceOf(Intrinsic.class);
    assertThat(((Intrinsic) body).function()).isEqualTo("Fn::Sub");
    // JSON is YAML; the ${...} placeholders stay strings.
    Map<String, Object> dashboard =
        map(new Yaml().load((String) ((Intrinsic) body).argument()), "DashboardBody");

    Set<String> shown = new TreeSet<>();
    for (Object widget : list(dashboard.get("widgets"), "widgets")) {
      Map<String, Object> properties = map(map(widget, "widget").get("properties"), "properties");
      for (Object line : list(properties.get("metrics"), "metrics")) {
        List<?> metric = list(line, "metric");
        String namespace = (String) metric.get(0);
        String name = (String) metric.get(1);
        assertThat(metric.subList(2, 4))
            .as(name + ": the function's dimension, spelled out (no \".\" shorthand)")
            .isEqualTo(List.of(BatchTelemetry.DIMENSION, "${TransactionStreamFunction}"));
        if (namespace.equals(BatchTelemetry.NAMESPACE)) {
          assertThat(BatchTelemetry.METRIC_NAMES).as("emitted by the function").contains(name);
        } else {
          assertThat(namespace).isEqualTo("AWS/Lambda");
          assertThat(name).isIn(LAMBDA_METRICS);
        }
        String stat = (String) map(metric.get(metric.size() - 1), "options").get("stat");
        shown.add(name + " " + stat);
      }
    }

    assertThat(shown)
        .contains(
            "RecordsCommitted Sum",
            "CommitLag p50",
            "CommitLag p99",
            "IteratorAge Maximum",
            "RecordsQuarantined Sum",
            "BatchFailed Sum",
            "Duration p99");
    assertThat(at(resources, "Dashboard", "Properties", "DashboardName"))
        .isEqualTo(new Intrinsic("Fn::Sub", "ddb-warehouse-${Stage}"));
  }

  @Test
  void invokeLocalDefaultsToTheTemplatesFunctionTimeout() {
    assertThat(at(parameters, "Timeout", "Default")).isEqualTo(InvokeLocal.DEFAULT_TIMEOUT_SECONDS);
  }

  @Test
  void vpcPlacementIsParameterised() {
    assertThat(at(function, "VpcConfig", "SubnetIds")).isEqualTo(Intrinsic.ref("SubnetIds"));
    assertThat(at(function, "VpcConfig", "SecurityGroupIds"))
        .isEqualTo(Intrinsic.ref("SecurityGroupIds"));
    assertThat(at(parameters, "SubnetIds", "Type")).isEqualTo("List<AWS::EC2::Subnet::Id>");
  }

  @Test
  void everyExampleStageParameterIsATemplateParameter() throws IOException {
    Set<String> settings = new TreeSet<>();
    Set<String> stageParameters = new TreeSet<>();
    for (String line : Files.readAllLines(Repository.file("deploy/example.env"))) {
      if (line.isBlank() || line.strip().startsWith("#")) {
        continue;
      }
      String key = line.substring(0, line.indexOf('='));
      (key.equals(key.toUpperCase()) ? settings : stageParameters).add(key);
    }
    Set<String> required =
        parameters.entrySet().stream()
            .filter(e -> !map(e.getValue(), e.getKey()).containsKey("Default"))
            .map(Map.Entry::getKey)
            .collect(Collectors.toCollection(TreeSet::new));
    required.remove("Stage");

    assertThat(parameters.keySet()).containsAll(stageParameters);
    assertThat(stageParameters).as("parameters without a default").containsAll(required);
    assertThat(settings).contains("AWS_REGION", "DEPLOY_BUCKET", "ADMIN_DB_SECRET_ID");
  }

  private List<Object> rawStatements() {
    List<?> policies = list(at(resources, "FunctionRole", "Properties", "Policies"), "Policies");
    List<Object> all = new ArrayList<>();
    for (Object policy : policies) {
      all.addAll(list(at(map(policy, "policy"), "PolicyDocument", "Statement"), "Statement"));
    }
    return all;
  }

  private List<Map<String, Object>> statements() {
    return rawStatements().stream()
        .filter(Map.class::isInstance)
        .map(s -> map(s, "statement"))
        .toList();
  }

  static List<String> actions(Map<String, Object> statement) {
    Object action = statement.get("Action");
    return action instanceof String single
        ? List.of(single)
        : list(action, "Action").stream().map(String.class::cast).toList();
  }

  static Map<String, Object> statement(List<Map<String, Object>> statements, String action) {
    List<Map<String, Object>> matching =
        statements.stream().filter(s -> actions(s).contains(action)).toList();
    assertThat(matching).as("statements granting " + action).hasSize(1);
    return matching.get(0);
  }
}
