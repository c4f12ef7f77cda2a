package dev.ddbwarehouse.deployment;

import static dev.ddbwarehouse.deployment.CloudFormationYaml.at;
import static dev.ddbwarehouse.deployment.CloudFormationYaml.list;
import static dev.ddbwarehouse.deployment.CloudFormationYaml.map;
import static dev.ddbwarehouse.deployment.SamTemplateTest.actions;
import static dev.ddbwarehouse.deployment.SamTemplateTest.statement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.ddbwarehouse.deployment.CloudFormationYaml.Intrinsic;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The template's stream mappings and stream grants for given parameter sets, asserted on the
 * resources CloudFormation creates once AWS::LanguageExtensions has expanded the loops.
 */
class SamStreamMappingsTest {

  static final String TRANSACTIONS =
      "arn:aws:dynamodb:eu-west-1:123456789012:table/transactions/stream/2026-01-01T00:00:00.000";
  static final String USER_PROFILES =
      "arn:aws:dynamodb:eu-west-1:123456789012:table/user-profiles/stream/2026-02-03T04:05:06.789";
  static final String TRANSACTIONS_SHADOW =
      "arn:aws:dynamodb:eu-west-1:123456789012:table/transactions-backfill/stream/2026-03-01T00:00:00.000";
  private static final String LEGACY =
      "arn:aws:dynamodb:eu-west-1:123456789012:table/payments/stream/2025-06-01T00:00:00.000";
  private static final String LEGACY_SHADOW =
      "arn:aws:dynamodb:eu-west-1:123456789012:table/payments-backfill/stream/2026-03-02T00:00:00.000";

  /** Two tables, the first with a backfill shadow attached. */
  private static final Map<String, String> TWO_TABLES =
      Map.of(
          "SourceStreamArns",
          TRANSACTIONS + "," + USER_PROFILES,
          "ShadowStreamArns",
          TRANSACTIONS_SHADOW);

  private static final List<String> MAPPING_SETTINGS =
      List.of(
          "StartingPosition",
          "BatchSize",
          "MaximumBatchingWindowInSeconds",
          "BisectBatchOnFunctionError",
          "MaximumRetryAttempts",
          "MaximumRecordAgeInSeconds",
          "FunctionResponseTypes",
          "DestinationConfig");

  /** The two tables plus both deprecated single-stream parameters. */
  static final Map<String, String> EVERY_KIND_OF_STREAM =
      Map.of(
          "SourceStreamArns",
          TRANSACTIONS + "," + USER_PROFILES,
          "ShadowStreamArns",
          TRANSACTIONS_SHADOW,
          "StreamArn",
          LEGACY,
          "BackfillStreamArn",
          LEGACY_SHADOW);

  private Map<String, Object> template;
  private Map<String, Object> parameters;
  private Map<String, Object> resources;

  @BeforeEach
  void load() {
    template = CloudFormationYaml.load(Repository.file("sam-template.yaml"));
    parameters = map(template.get("Parameters"), "Parameters");
    resources = map(template.get("Resources"), "Resources");
  }

  @Test
  void runsLanguageExtensionsBeforeTheSamTransform() {
    assertThat(template.get("Transform"))
        .as("Fn::ForEach must be expanded before SAM reads the events")
        .isEqualTo(List.of("AWS::LanguageExtensions", "AWS::Serverless-2016-10-31"));
  }

  @Test
  void everySourceAndShadowStreamOfTwoTablesGetsItsOwnMapping() {
    List<StreamMapping> mappings = streamMappings(deploy(TWO_TABLES));

    assertThat(mappings)
        .extracting(StreamMapping::logicalId, StreamMapping::stream)
        .containsExactlyInAnyOrder(
            tuple(
                "TransactionStreamFunctionSourcearnawsdynamodbeuwest1123456789012tabletransactionsstream20260101T000000000",
                TRANSACTIONS),
            tuple(
                "TransactionStreamFunctionSourcearnawsdynamodbeuwest1123456789012tableuserprofilesstream20260203T040506789",
                USER_PROFILES),
            tuple(
                "TransactionStreamFunctionShadowarnawsdynamodbeuwest1123456789012tabletransactionsbackfillstream20260301T000000000",
                TRANSACTIONS_SHADOW));
    assertThat(mappings).allSatisfy(m -> assertThat(m.samEvent()).isTrue());
  }

  @Test
  void aThirdTableIsOneMoreListElement() {
    String orders = TRANSACTIONS.replace("table/transactions/", "table/orders/");
    Map<String, String> threeTables = new HashMap<>(TWO_TABLES);
    threeTables.put("SourceStreamArns", TWO_TABLES.get("SourceStreamArns") + "," + orders);

    TemplateEvaluator deployed = deploy(threeTables);

    assertThat(streamMappings(deployed))
        .extracting(StreamMapping::stream)
        .containsExactlyInAnyOrder(TRANSACTIONS, USER_PROFILES, orders, TRANSACTIONS_SHADOW);
    assertThat(streamReadResources(deployed))
        .containsExactlyInAnyOrder(TRANSACTIONS, USER_PROFILES, orders, TRANSACTIONS_SHADOW);
  }

  @Test
  void everyMappingHasTheSameExplicitFailureSemantics() {
    List<StreamMapping> mappings = streamMappings(deploy(EVERY_KIND_OF_STREAM));
    assertThat(mappings).as("two sources, a shadow and the two deprecated ones").hasSize(5);

    Map<String, Object> reference = comparableSettings(mappings.get(0));
    for (StreamMapping mapping : mappings) {
      assertMappingSettings(mapping.properties());
      assertThat(comparableSettings(mapping)).as(mapping.logicalId()).isEqualTo(reference);
      boolean shadow =
          mapping.stream().equals(TRANSACTIONS_SHADOW) || mapping.stream().equals(LEGACY_SHADOW);
      assertThat(mapping.properties().get("StartingPosition"))
          .as(mapping.logicalId() + ": a backfill reads its shadow stream from the start")
          .isEqualTo(shadow ? "TRIM_HORIZON" : Intrinsic.ref("StartingPosition"));
      if (mapping.samEvent()) {
        assertThat(at(mapping.properties(), "DestinationConfig", "OnFailure", "Type"))
            .isEqualTo("SQS");
      } else {
        assertThat(mapping.properties().get("FunctionName"))
            .as("the alias: SnapStart and the SAM events use it")
            .isEqualTo(Intrinsic.ref("TransactionStreamFunction.Alias"));
      }
    }
    assertThat(at(parameters, "StartingPosition", "AllowedValues"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
        .containsExactlyInAnyOrder("TRIM_HORIZON", "LATEST");
  }

  @Test
  void roleReadsExactlyTheListedStreamsAndNothingElse() {
    TemplateEvaluator deployed = deploy(TWO_TABLES);

    List<Map<String, Object>> reads = streamReadStatements(deployed);
    assertThat(reads)
        .extracting(s -> s.get("Sid"))
        .containsExactly("ReadSourceStreams", "ReadShadowStreams");
    assertThat(reads)
        .allSatisfy(
            statement ->
                assertThat(actions(statement))
                    .containsExactlyInAnyOrder(
                        "dynamodb:DescribeStream",
                        "dynamodb:GetRecords",
                        "dynamodb:GetShardIterator",
                        "dynamodb:ListStreams"));
    assertThat(streamReadResources(deployed))
        .containsExactly(TRANSACTIONS, USER_PROFILES, TRANSACTIONS_SHADOW);
  }

  @Test
  void withoutShadowStreamsThereIsNoShadowMappingAndNoShadowGrant() {
    TemplateEvaluator deployed = deploy(Map.of("SourceStreamArns", TRANSACTIONS));

    assertThat(streamMappings(deployed))
        .extracting(StreamMapping::stream)
        .containsExactly(TRANSACTIONS);
    assertThat(streamReadStatements(deployed))
        .extracting(s -> s.get("Sid"))
        .containsExactly("ReadSourceStreams");
    assertThat(streamReadResources(deployed)).containsExactly(TRANSACTIONS);
    assertThat(at(parameters, "ShadowStreamArns", "Default")).isEqualTo("");
  }

  @Test
  void deprecatedSingleStreamParametersKeepTheLogicalIdsTheirMappingsHad() {
    TemplateEvaluator deployed =
        deploy(
            Map.of(
                "SourceStreamArns", "", "StreamArn", LEGACY, "BackfillStreamArn", LEGACY_SHADOW));

    assertThat(streamMappings(deployed))
        .as("SAM named the live mapping after the function and its event TransactionStream")
        .extracting(StreamMapping::logicalId, StreamMapping::stream)
        .containsExactlyInAnyOrder(
            tuple("TransactionStreamFunctionTransactionStream", LEGACY),
            tuple("BackfillStreamMapping", LEGACY_SHADOW));
    assertThat(streamReadStatements(deployed))
        .extracting(s -> s.get("Sid"))
        .containsExactly("ReadLegacyStreams");
    assertThat(streamReadResources(deployed)).containsExactly(LEGACY, LEGACY_SHADOW);
    assertThat(at(parameters, "StreamArn", "Default")).isEqualTo("");
    assertThat(at(parameters, "BackfillStreamArn", "Default")).isEqualTo("");
  }

  @Test
  void aDeprecatedStreamAndTheListCombine() {
    TemplateEvaluator deployed =
        deploy(Map.of("SourceStreamArns", USER_PROFILES, "StreamArn", LEGACY));

    assertThat(streamMappings(deployed))
        .extracting(StreamMapping::stream)
        .containsExactlyInAnyOrder(LEGACY, USER_PROFILES);
    assertThat(streamReadResources(deployed)).containsExactlyInAnyOrder(LEGACY, USER_PROFILES);
  }

  @Test
  void theLongestAllowedStreamArnKeepsTheLogicalIdWithinCloudFormationsLimit() {
    String table = "t".repeat(140);
    String longest =
        "arn:awsabcdefg:dynamodb:abcdefghij0123456789:123456789012:table/"
            + table
            + "/stream/2026-01-01T00:00:00.000";
    String pattern = (String) at(parameters, "SourceStreamArns", "AllowedPattern");
    assertThat(at(parameters, "ShadowStreamArns", "AllowedPattern")).isEqualTo(pattern);
    assertThat(longest).matches(pattern);
    assertThat(longest.replace(table, table + "t")).doesNotMatch(pattern);
    assertThat(longest.replace("awsabcdefg", "awsabcdefgh")).doesNotMatch(pattern);
    assertThat(longest.replace("0123456789:", "01234567890:")).doesNotMatch(pattern);
    assertThat(longest.replace(".000", ".0000")).doesNotMatch(pattern);

    List<StreamMapping> mappings =
        streamMappings(
            deploy(
                Map.of(
                    "SourceStreamArns",
                    longest,
                    "ShadowStreamArns",
                    longest.replace(":123456789012:", ":210987654321:"))));

    assertThat(mappings).hasSize(2);
    assertThat(mappings)
        .allSatisfy(m -> assertThat(m.logicalId()).hasSize(253).matches("[A-Za-z0-9]+"));
  }

  @Test
  void deployScriptChecksStreamArnsWithTheTemplatesPattern() throws IOException {
    String script = Files.readString(Repository.file("scripts/deploy.sh"));
    Matcher declared = Pattern.compile("readonly STREAM_ARN_PATTERN='([^']+)'").matcher(script);
    assertThat(declared.find()).as("deploy.sh declares STREAM_ARN_PATTERN").isTrue();

    assertThat("^$|" + declared.group(1))
        .isEqualTo(at(parameters, "SourceStreamArns", "AllowedPattern"));
  }

  @Test
  void deploymentRoleMayExpandEveryTransformTheTemplateUses() {
    Map<String, Object> policy =
        CloudFormationYaml.load(Repository.file("deploy/cloudformation-role-policy.json"));
    Map<String, Object> expand =
        statement(
            list(policy.get("Statement"), "Statement").stream()
                .map(s -> map(s, "statement"))
                .toList(),
            "cloudformation:CreateChangeSet");

    for (Object transform : list(template.get("Transform"), "Transform")) {
      assertThat(list(expand.get("Resource"), "Resource"))
          .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
          .contains(
              "arn:@PARTITION@:cloudformation:@REGION@:aws:transform/"
                  + ((String) transform).substring("AWS::".length()));
    }
  }

  /** One stream mapping as CloudFormation gets it: a SAM event of the function or a plain one. */
  record StreamMapping(
      String logicalId, Object stream, Map<String, Object> properties, boolean samEvent) {}

  private TemplateEvaluator deploy(Map<String, String> parameterValues) {
    return TemplateEvaluator.deployed(template, parameterValues);
  }

  private static List<StreamMapping> streamMappings(TemplateEvaluator deployed) {
    Map<String, Object> active = deployed.activeResources();
    List<StreamMapping> mappings = new ArrayList<>();
    Map<String, Object> events =
        map(at(active, "TransactionStreamFunction", "Properties", "Events"), "Events");
    events.forEach(
        (name, value) -> {
          Map<String, Object> event = map(value, name);
          assertThat(event.get("Type")).as(name).isEqualTo("DynamoDB");
          Map<String, Object> properties = map(event.get("Properties"), name);
          mappings.add(
              new StreamMapping(
                  // SAM's name for the event source mapping it makes of the event.
                  "TransactionStreamFunction" + name,
                  deployed.resolve(properties.get("Stream")),
                  properties,
                  true));
        });
    active.forEach(
        (id, value) -> {
          Map<String, Object> resource = map(value, id);
          if ("AWS::Lambda::EventSourceMapping".equals(resource.get("Type"))) {
            Map<String, Object> properties = map(resource.get("Properties"), id);
            mappings.add(
                new StreamMapping(
                    id, deployed.resolve(properties.get("EventSourceArn")), properties, false));
          }
        });
    return mappings;
  }

  /** The settings every mapping shares: all but its stream, function, start and SAM's Type. */
  private static Map<String, Object> comparableSettings(StreamMapping mapping) {
    Map<String, Object> settings = new TreeMap<>(mapping.properties());
    settings
        .keySet()
        .removeAll(Set.of("Stream", "EventSourceArn", "FunctionName", "StartingPosition"));
    Map<String, Object> onFailure =
        new TreeMap<>(map(at(settings, "DestinationConfig", "OnFailure"), "OnFailure"));
    onFailure.remove("Type");
    settings.put("DestinationConfig", Map.of("OnFailure", onFailure));
    return settings;
  }

  private static List<Map<String, Object>> streamReadStatements(TemplateEvaluator deployed) {
    Object policies =
        deployed.resolve(at(deployed.activeResources(), "FunctionRole", "Properties", "Policies"));
    List<Map<String, Object>> reads = new ArrayList<>();
    for (Object policy : list(policies, "Policies")) {
      for (Object statement :
          list(at(map(policy, "policy"), "PolicyDocument", "Statement"), "Statement")) {
        Map<String, Object> s = map(statement, "statement");
        if (actions(s).stream().anyMatch(a -> a.startsWith("dynamodb:"))) {
          reads.add(s);
        }
      }
    }
    return reads;
  }

  /** Every stream ARN the role may read, in statement order. */
  private static List<Object> streamReadResources(TemplateEvaluator deployed) {
    List<Object> resources = new ArrayList<>();
    for (Map<String, Object> statement : streamReadStatements(deployed)) {
      resources.addAll(list(statement.get("Resource"), "Resource"));
    }
    return resources;
  }

  private void assertMappingSettings(Map<String, Object> properties) {
    assertThat(properties).containsKeys(MAPPING_SETTINGS.toArray(String[]::new));
    assertThat(properties.get("FunctionResponseTypes"))
        .isEqualTo(List.of("ReportBatchItemFailures"));
    assertThat(properties.get("BisectBatchOnFunctionError")).isEqualTo(true);

    int batchSize = number(properties.get("BatchSize"), "Default");
    assertThat(batchSize).isBetween(1, 10_000);
    assertThat(number(properties.get("BatchSize"), "MaxValue"))
        .as("the DynamoDB mapping maximum")
        .isLessThanOrEqualTo(10_000);
    assertThat(number(properties.get("MaximumBatchingWindowInSeconds"), "MaxValue"))
        .isLessThanOrEqualTo(300);
    assertThat(number(properties.get("MaximumRetryAttempts"), "Default")).isBetween(0, 10_000);
    assertThat(number(properties.get("MaximumRecordAgeInSeconds"), "Default"))
        .as("records must leave the retry loop before the stream's 24 h retention drops them")
        .isBetween(60, 86_400);

    Object destination =
        at(
            map(properties.get("DestinationConfig"), "DestinationConfig"),
            "OnFailure",
            "Destination");
    assertThat(destination).isEqualTo(new Intrinsic("Fn::GetAtt", "FailureQueue.Arn"));
    assertThat(at(resources, "FailureQueue", "Type")).isEqualTo("AWS::SQS::Queue");
  }

  /** A literal number, or a parameter's Default/MaxValue when the setting is a !Ref. */
  private int number(Object value, String attribute) {
    if (value instanceof Number n) {
      return n.intValue();
    }
    if (value instanceof Intrinsic ref && ref.function().equals("Ref")) {
      return ((Number) at(parameters, (String) ref.argument(), attribute)).intValue();
    }
    throw new AssertionError("not a number or parameter reference: " + value);
  }
}
