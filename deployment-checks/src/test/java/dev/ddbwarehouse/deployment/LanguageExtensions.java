package dev.ddbwarehouse.deployment;

import static dev.ddbwarehouse.deployment.CloudFormationYaml.list;
import static dev.ddbwarehouse.deployment.CloudFormationYaml.map;

import dev.ddbwarehouse.deployment.CloudFormationYaml.Intrinsic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code Fn::ForEach} part of the AWS::LanguageExtensions transform, for one parameter set, so
 * that the template tests assert the resources CloudFormation would create rather than the loop.
 *
 * <p>Modelled as the transform documents it: loops in Conditions, Resources and Outputs (at any
 * depth, nested too) and nowhere else; the collection a list, a {@code Ref} to a list parameter or
 * an {@code Fn::If} between those; every output key naming the identifier as {@code ${Id}} or
 * {@code &{Id}} (letters and digits of the value only); in values, {@code !Ref Id} and {@code
 * ${Id}} inside {@code Fn::Sub}. A key produced twice fails, as the transform does. {@code ${Id}}
 * in a plain string or {@code &{Id}} in a value is refused: this template does not rely on it, so
 * the helper does not guess.
 */
final class LanguageExtensions {

  static final String LOOP = "Fn::ForEach::";
  private static final Set<String> LOOP_SECTIONS = Set.of("Conditions", "Resources", "Outputs");

  private LanguageExtensions() {}

  /** The template with every loop expanded for these parameter values. */
  static Map<String, Object> expand(
      Map<String, Object> template, Map<String, String> parameterValues) {
    Map<String, Object> expanded = new LinkedHashMap<>(template);
    for (Map.Entry<String, Object> section : template.entrySet()) {
      if (!LOOP_SECTIONS.contains(section.getKey()) && containsLoop(section.getValue())) {
        throw new AssertionError("Fn::ForEach is not allowed in " + section.getKey());
      }
    }
    // Conditions first: a collection may choose by a condition, never the other way round.
    if (template.containsKey("Conditions")) {
      Expander conditions = new Expander(new TemplateEvaluator(template, parameterValues));
      expanded.put("Conditions", conditions.node(template.get("Conditions")));
    }
    Expander rest = new Expander(new TemplateEvaluator(expanded, parameterValues));
    for (String section : List.of("Resources", "Outputs")) {
      if (template.containsKey(section)) {
        expanded.put(section, rest.node(template.get(section)));
      }
    }
    return expanded;
  }

  private static boolean containsLoop(Object node) {
    if (node instanceof Map<?, ?> mapping) {
      return mapping.keySet().stream().anyMatch(k -> String.valueOf(k).startsWith(LOOP))
          || mapping.values().stream().anyMatch(LanguageExtensions::containsLoop);
    }
    if (node instanceof List<?> items) {
      return items.stream().anyMatch(LanguageExtensions::containsLoop);
    }
    return node instanceof Intrinsic call && containsLoop(call.argument());
  }

  /** Letters and digits only: what {@code &{Id}} makes of a value. */
  static String alphanumeric(String value) {
    return value.replaceAll("[^A-Za-z0-9]", "");
  }

  private record Expander(TemplateEvaluator evaluator) {

    Object node(Object node) {
      if (node instanceof Map<?, ?> mapping) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : mapping.entrySet()) {
          String key = String.valueOf(entry.getKey());
          if (key.startsWith(LOOP)) {
            loop(key, entry.getValue()).forEach((k, v) -> putOnce(out, k, v, key));
          } else {
            putOnce(out, key, node(entry.getValue()), key);
          }
        }
        return out;
      }
      if (node instanceof List<?> items) {
        return items.stream().map(this::node).toList();
      }
      if (node instanceof Intrinsic call) {
        return new Intrinsic(call.function(), node(call.argument()));
      }
      return node;
    }

    private Map<String, Object> loop(String name, Object declaration) {
      List<?> parts = list(declaration, name);
      if (parts.size() != 3 || !(parts.get(0) instanceof String identifier)) {
        throw new AssertionError(name + ": expected [Identifier, Collection, {OutputKey: value}]");
      }
      Map<String, Object> fragment = map(parts.get(2), name + " fragment");
      for (String key : fragment.keySet()) {
        if (!key.startsWith(LOOP)
            && !key.contains("${" + identifier + "}")
            && !key.contains("&{" + identifier + "}")) {
          throw new AssertionError(name + ": output key " + key + " does not name " + identifier);
        }
      }
      Map<String, Object> out = new LinkedHashMap<>();
      for (String value : collection(name, parts.get(1))) {
        Object replicated = node(substitute(fragment, identifier, value));
        map(replicated, name).forEach((k, v) -> putOnce(out, k, v, name));
      }
      return out;
    }

    private List<String> collection(String name, Object collection) {
      Object value = collection instanceof List<?> ? collection : evaluator.resolve(collection);
      List<?> items = list(value, name + " collection");
      List<String> strings = new ArrayList<>();
      for (Object item : items) {
        if (!(item instanceof String string)) {
          throw new AssertionError(name + ": collection item " + item + " is not a string");
        }
        strings.add(string);
      }
      return strings;
    }

    private static void putOnce(Map<String, Object> out, String key, Object value, String where) {
      if (out.put(key, value) != null) {
        throw new AssertionError(where + ": the key " + key + " is produced twice");
      }
    }
  }

  private static Object substitute(Object node, String identifier, String value) {
    if (node instanceof Map<?, ?> mapping) {
      Map<String, Object> out = new LinkedHashMap<>();
      mapping.forEach(
          (k, v) -> {
            String key =
                String.valueOf(k)
                    .replace("${" + identifier + "}", value)
                    .replace("&{" + identifier + "}", alphanumeric(value));
            out.put(key, substitute(v, identifier, value));
          });
      return out;
    }
    if (node instanceof List<?> items) {
      return items.stream().map(item -> substitute(item, identifier, value)).toList();
    }
    if (node instanceof Intrinsic call) {
      if (call.function().equals("Ref") && identifier.equals(call.argument())) {
        return value;
      }
      if (call.function().equals("Fn::Sub")) {
        return new Intrinsic("Fn::Sub", sub(call.argument(), identifier, value));
      }
      return new Intrinsic(call.function(), substitute(call.argument(), identifier, value));
    }
    if (node instanceof String string
        && (string.contains("${" + identifier + "}") || string.contains("&{" + identifier + "}"))) {
      throw new AssertionError(
          "'" + string + "' names " + identifier + " outside a key, !Ref or Fn::Sub");
    }
    return node;
  }

  private static Object sub(Object argument, String identifier, String value) {
    if (argument instanceof String text) {
      return text.replace("${" + identifier + "}", value);
    }
    List<?> parts = list(argument, "Fn::Sub");
    Map<String, Object> variables = map(parts.get(1), "Fn::Sub variables");
    String text = (String) parts.get(0);
    // A variable of the Sub itself shadows the loop's identifier.
    String replaced =
        variables.containsKey(identifier) ? text : text.replace("${" + identifier + "}", value);
    return List.of(replaced, substitute(variables, identifier, value));
  }
}
