package dev.ddbwarehouse.deployment;

import static dev.ddbwarehouse.deployment.CloudFormationYaml.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbwarehouse.deployment.CloudFormationYaml.Intrinsic;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test helper's Fn::ForEach, on small templates: the template tests rely on it. */
class LanguageExtensionsTest {

  private static final String TOPICS =
      """
      Parameters:
        Names:
          Type: CommaDelimitedList
          Default: ""
      Conditions:
        HasNames: !Not [!Equals [!Join [",", !Ref Names], ""]]
      Resources:
        Fn::ForEach::Topics:
          - Name
          - %s
          - Topic&{Name}:
              Type: AWS::SNS::Topic
              Properties:
                TopicName: !Ref Name
                DisplayName: !Sub "topic ${Name} of ${AWS::StackName}"
      """;

  @Test
  void replicatesTheFragmentForEachElementOfAListParameter() {
    Map<String, Object> resources =
        resources(TOPICS.formatted("!Ref Names"), Map.of("Names", "orders-v2,user.profiles"));

    assertThat(resources).containsOnlyKeys("Topicordersv2", "Topicuserprofiles");
    Map<String, Object> properties =
        map(map(resources.get("Topicordersv2"), "topic").get("Properties"), "properties");
    assertThat(properties.get("TopicName")).isEqualTo("orders-v2");
    assertThat(properties.get("DisplayName"))
        .as("the identifier is replaced, pseudo parameters stay")
        .isEqualTo(new Intrinsic("Fn::Sub", "topic orders-v2 of ${AWS::StackName}"));
  }

  @Test
  void loopsOnceWithAnEmptyStringOverAnEmptyList() {
    // As CloudFormation does: "" is a list of one empty string. Hence the Fn::If in the template.
    assertThat(resources(TOPICS.formatted("!Ref Names"), Map.of())).containsOnlyKeys("Topic");
  }

  @Test
  void anIfBetweenTheListAndNothingSkipsTheLoopForAnEmptyList() {
    String template = TOPICS.formatted("!If [HasNames, !Ref Names, []]");

    assertThat(resources(template, Map.of())).isEmpty();
    assertThat(resources(template, Map.of("Names", "a"))).containsOnlyKeys("Topica");
  }

  @Test
  void refusesTwoValuesThatGiveTheSameKey() {
    assertThatThrownBy(() -> resources(TOPICS.formatted("!Ref Names"), Map.of("Names", "a-b,ab")))
        .hasMessageContaining("the key Topicab is produced twice");
  }

  @Test
  void refusesAnOutputKeyThatDoesNotNameTheIdentifier() {
    String template = TOPICS.formatted("[x]").replace("Topic&{Name}", "Topic");

    assertThatThrownBy(() -> resources(template, Map.of()))
        .hasMessageContaining("output key Topic does not name Name");
  }

  @Test
  void refusesALoopOutsideConditionsResourcesAndOutputs() {
    String template =
        """
        Metadata:
          Fn::ForEach::Notes:
            - Note
            - [a]
            - ${Note}: x
        Resources: {}
        """;

    assertThatThrownBy(
            () -> LanguageExtensions.expand(CloudFormationYaml.parse(template), Map.of()))
        .hasMessageContaining("not allowed in Metadata");
  }

  @Test
  void expandsNestedLoopsAndLoopsInsideProperties() {
    String template =
        """
        Resources:
          Fn::ForEach::Outer:
            - Env
            - [dev, prod]
            - Fn::ForEach::Inner:
                - App
                - [web, api]
                - ${Env}${App}:
                    Type: AWS::SNS::Topic
                    Properties:
                      Tags:
                        Fn::ForEach::Tags:
                          - Key
                          - [a, b]
                          - Tag${Key}: !Sub "${Env}-${App}-${Key}"
        """;

    Map<String, Object> resources = resources(template, Map.of());

    assertThat(resources).containsOnlyKeys("devweb", "devapi", "prodweb", "prodapi");
    assertThat(CloudFormationYaml.at(resources, "prodapi", "Properties", "Tags"))
        .isEqualTo(
            Map.of(
                "Taga", new Intrinsic("Fn::Sub", "prod-api-a"),
                "Tagb", new Intrinsic("Fn::Sub", "prod-api-b")));
  }

  @Test
  void aVariableOfTheSubShadowsTheIdentifier() {
    String template =
        """
        Resources:
          Fn::ForEach::Topics:
            - Name
            - [a]
            - Topic${Name}:
                Type: AWS::SNS::Topic
                Properties:
                  TopicName: !Sub ["${Name}", {Name: !Ref Name}]
        """;

    Object name =
        CloudFormationYaml.at(resources(template, Map.of()), "Topica", "Properties", "TopicName");

    assertThat(name).isEqualTo(new Intrinsic("Fn::Sub", List.of("${Name}", Map.of("Name", "a"))));
  }

  private static Map<String, Object> resources(String template, Map<String, String> parameters) {
    Map<String, Object> expanded =
        LanguageExtensions.expand(CloudFormationYaml.parse(template), parameters);
    return map(expanded.get("Resources"), "Resources");
  }
}
