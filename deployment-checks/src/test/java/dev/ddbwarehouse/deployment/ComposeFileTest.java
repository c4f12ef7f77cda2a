package dev.ddbwarehouse.deployment;

import static dev.ddbwarehouse.deployment.CloudFormationYaml.at;
import static dev.ddbwarehouse.deployment.CloudFormationYaml.list;
import static dev.ddbwarehouse.deployment.CloudFormationYaml.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checks docker-compose.tests.yml without a Docker engine (there is none on the build machines):
 * its shape, and that every path it builds from or mounts exists. Running it needs Docker.
 */
class ComposeFileTest {

  private static final String COMPOSE_FILE = "docker-compose.tests.yml";
  private static final String UP_COMMAND =
      "docker compose -f docker-compose.tests.yml up --build --exit-code-from tests";

  private Path root;
  private Map<String, Object> services;

  @BeforeEach
  void load() {
    root = Repository.root();
    services = map(CloudFormationYaml.load(root.resolve(COMPOSE_FILE)).get("services"), "services");
  }

  @Test
  void definesTheSuiteServicesAndTheExitCodeService() throws IOException {
    assertThat(services).containsKeys("postgres", "localstack", "function", "tests");
    assertThat(Files.readString(root.resolve(COMPOSE_FILE)))
        .as("the documented command")
        .contains(UP_COMMAND);
    assertThat(at(service("tests"), "depends_on"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsKeys("postgres", "localstack", "function");
  }

  @Test
  void runsTheProductionEnginesAndServices() {
    assertThat(service("postgres").get("image")).isEqualTo("postgres:16");
    assertThat((String) at(service("localstack"), "environment", "SERVICES"))
        .contains("dynamodb", "secretsmanager", "ssm");
  }

  @Test
  void functionRunsTheShadedJarOnTheLambdaJava21Image() throws IOException {
    String dockerfile =
        Files.readString(buildContext("function").resolve(dockerfileName("function")));

    assertThat(dockerfile)
        .containsPattern("(?m)^FROM public\\.ecr\\.aws/lambda/java:21\\s*$")
        .contains("COPY " + SamTemplateTest.JAR + " ")
        .contains("CMD [\"" + SamTemplateTest.HANDLER + "\"]");
  }

  @Test
  void functionReadsItsConfigFromLocalStack() {
    Map<String, Object> environment =
        map(service("function").get("environment"), "function environment");

    assertThat(environment)
        .containsKey("AWS_ENDPOINT_URL")
        .containsKeys(SamTemplateTest.CONFIG_ENVIRONMENT_KEYS.toArray(String[]::new));
    assertThat((String) environment.get("AWS_ENDPOINT_URL")).startsWith("http://localstack:");
  }

  @Test
  void everyBuildContextAndDockerfileExists() {
    for (String name : services.keySet()) {
      if (service(name).containsKey("build")) {
        assertThat(buildContext(name)).as(name + " build context").isDirectory();
        assertThat(buildContext(name).resolve(dockerfileName(name)))
            .as(name + " Dockerfile")
            .isRegularFile();
      }
    }
  }

  @Test
  void everyFileCopiedIntoAnImageExistsOrIsTheBuiltJar() throws IOException {
    for (String name : services.keySet()) {
      if (!service(name).containsKey("build")) {
        continue;
      }
      Path context = buildContext(name);
      for (String line : Files.readAllLines(context.resolve(dockerfileName(name)))) {
        if (!line.startsWith("COPY ")) {
          continue;
        }
        List<String> words = List.of(line.substring(5).trim().split("\\s+"));
        for (String source : words.subList(0, words.size() - 1)) {
          if (!source.equals(SamTemplateTest.JAR)) {
            assertThat(context.resolve(source)).as(name + ": COPY " + source).exists();
          }
        }
      }
    }
  }

  /** The host side of a volume; for {@code ${VAR:-default}:...} the default, as compose uses it. */
  private static String hostPath(String volume) {
    if (volume.startsWith("${")) {
      int close = volume.indexOf('}');
      String expression = volume.substring(2, close);
      int fallback = expression.indexOf(":-");
      return fallback < 0 ? "" : expression.substring(fallback + 2);
    }
    return volume.split(":")[0];
  }

  @Test
  void everyBindMountedHostPathExists() {
    for (String name : services.keySet()) {
      for (Object volume :
          list(service(name).getOrDefault("volumes", List.of()), name + " volumes")) {
        String host = hostPath((String) volume);
        if (host.startsWith(".") || host.startsWith("/")) {
          assertThat(root.resolve(host).normalize()).as(name + " mounts " + host).exists();
        }
      }
    }
  }

  @Test
  void testsReplayTheProjectFixturesAndOptionallyTheAwsSamples() throws IOException {
    List<String> volumes =
        list(service("tests").get("volumes"), "tests volumes").stream()
            .map(String.class::cast)
            .toList();

    assertThat(volumes)
        .as("the project's own events, always mounted")
        .contains("./fixtures/stream-events:/fixtures/project-stream-events:ro");
    assertThat(volumes)
        .as("AWS samples only when AWS_SAMPLES_DIR names them, else an empty folder")
        .contains(
            "${AWS_SAMPLES_DIR:-./compose/tests/no-aws-samples}:/fixtures/aws-stream-events:ro");
    assertThat(volumes).noneMatch(v -> v.contains("../shared"));
    try (Stream<Path> files = Files.list(root.resolve("fixtures/stream-events"))) {
      assertThat(files.filter(f -> f.toString().endsWith(".json"))).hasSizeGreaterThanOrEqualTo(5);
    }
    assertThat(root.resolve("compose/tests/no-aws-samples")).isDirectory();
    assertThat(root.resolve("compose/tests/events/transactions.json")).isRegularFile();
  }

  @Test
  void dockerComposeAcceptsTheFile() throws Exception {
    Optional<List<String>> compose = composeCommand();
    assumeTrue(compose.isPresent(), "neither `docker compose` nor `docker-compose` can run here");

    List<String> command = new java.util.ArrayList<>(compose.get());
    command.addAll(List.of("-f", COMPOSE_FILE, "config", "-q"));
    Process process =
        new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
  }

  /** `docker compose config` parses the file without an engine; a missing plugin fails at once. */
  private static Optional<List<String>> composeCommand() throws InterruptedException {
    for (List<String> candidate :
        List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
      List<String> version = new java.util.ArrayList<>(candidate);
      version.add("version");
      try {
        Process process = new ProcessBuilder(version).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        if (process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0) {
          return Optional.of(candidate);
        }
      } catch (IOException notInstalled) {
        // try the next candidate
      }
    }
    return Optional.empty();
  }

  private Map<String, Object> service(String name) {
    return map(services.get(name), name);
  }

  private Path buildContext(String name) {
    Object build = service(name).get("build");
    String context =
        build instanceof String s ? s : (String) map(build, name + " build").get("context");
    return root.resolve(context).normalize();
  }

  private String dockerfileName(String name) {
    Object build = service(name).get("build");
    return build instanceof Map<?, ?> m && m.get("dockerfile") instanceof String file
        ? file
        : "Dockerfile";
  }
}
