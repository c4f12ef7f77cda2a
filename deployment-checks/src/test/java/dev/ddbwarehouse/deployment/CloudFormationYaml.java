package dev.ddbwarehouse.deployment;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.Constructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Loads CloudFormation/SAM YAML, keeping short-form intrinsics (!Ref, !Sub, !GetAtt, !If, ...) as
 * {@link Intrinsic} values instead of failing on the unknown tags. Plain YAML and JSON load too.
 */
final class CloudFormationYaml {

  /** One intrinsic function call: {@code function} is the long form, e.g. "Ref" or "Fn::GetAtt". */
  record Intrinsic(String function, Object argument) {

    static Intrinsic ref(String name) {
      return new Intrinsic("Ref", name);
    }
  }

  private CloudFormationYaml() {}

  static Map<String, Object> load(Path file) {
    try (Reader reader = Files.newBufferedReader(file)) {
      Map<String, Object> document = new Yaml(new IntrinsicConstructor()).load(reader);
      if (document == null) {
        throw new IllegalArgumentException(file + " is empty");
      }
      return document;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  /** As {@link #load}, from text (a test's own small template). */
  static Map<String, Object> parse(String yaml) {
    Map<String, Object> document = new Yaml(new IntrinsicConstructor()).load(yaml);
    if (document == null) {
      throw new IllegalArgumentException("empty YAML");
    }
    return document;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value, String what) {
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw new AssertionError(what + " is not a mapping but " + value);
  }

  static List<?> list(Object value, String what) {
    if (value instanceof List<?> list) {
      return list;
    }
    throw new AssertionError(what + " is not a list but " + value);
  }

  /** Follows a path of mapping keys, failing with the path walked so far. */
  static Object at(Map<String, Object> root, String... keys) {
    Object current = root;
    StringBuilder walked = new StringBuilder();
    for (String key : keys) {
      walked.append('/').append(key);
      current = map(current, walked.toString()).get(key);
      if (current == null) {
        throw new AssertionError("missing " + walked);
      }
    }
    return current;
  }

  private static final class IntrinsicConstructor extends Constructor {

    IntrinsicConstructor() {
      super(new LoaderOptions());
      yamlMultiConstructors.put("!", new ConstructIntrinsic());
    }

    private final class ConstructIntrinsic extends AbstractConstruct {

      @Override
      public Object construct(Node node) {
        String tag = node.getTag().getValue().substring(1);
        String function = tag.equals("Ref") || tag.equals("Condition") ? tag : "Fn::" + tag;
        Object argument;
        if (node instanceof ScalarNode scalar) {
          argument = constructScalar(scalar);
        } else if (node instanceof SequenceNode sequence) {
          argument = constructSequence(sequence);
        } else {
          argument = constructMapping((MappingNode) node);
        }
        return new Intrinsic(function, argument);
      }
    }
  }
}
