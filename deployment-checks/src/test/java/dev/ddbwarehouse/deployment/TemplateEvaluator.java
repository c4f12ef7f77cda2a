package dev.ddbwarehouse.deployment;

import static dev.ddbwarehouse.deployment.CloudFormationYaml.list;
import static dev.ddbwarehouse.deployment.CloudFormationYaml.map;

import dev.ddbwarehouse.deployment.CloudFormationYaml.Intrinsic;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What CloudFormation decides from a template's parameters for one parameter set: parameter values
 * (a CommaDelimitedList as CloudFormation splits it, so "" is one empty string), conditions, and
 * the values of {@code Ref}/{@code Fn::If}/{@code Fn::Join}/{@code AWS::NoValue}. Everything else
 * (resource references, {@code Fn::GetAtt}, {@code Fn::Sub}) stays as written.
 */
final class TemplateEvaluator {

  /** What {@code !Ref AWS::NoValue} resolves to before it is dropped from its list or mapping. */
  private static final Object NO_VALUE = new Object();

  private final Map<String, Object> template;
  private final Map<String, String> parameterValues;
  private final Map<String, Boolean> conditions = new HashMap<>();

  TemplateEvaluator(Map<String, Object> template, Map<String, String> parameterValues) {
    this.template = template;
    this.parameterValues = Map.copyOf(parameterValues);
    for (String name : parameterValues.keySet()) {
      if (!parameters().containsKey(name)) {
        throw new AssertionError("the template has no parameter " + name);
      }
    }
  }

  /** The template as CloudFormation evaluates it once AWS::LanguageExtensions has run. */
  static TemplateEvaluator deployed(
      Map<String, Object> template, Map<String, String> parameterValues) {
    return new TemplateEvaluator(
        LanguageExtensions.expand(template, parameterValues), parameterValues);
  }

  /** A parameter's value as CloudFormation passes it: a String, or a List for a list type. */
  Object parameter(String name) {
    Map<String, Object> declaration = map(parameters().get(name), "parameter " + name);
    Object value =
        parameterValues.containsKey(name) ? parameterValues.get(name) : declaration.get("Default");
    if (value == null) {
      throw new AssertionError("parameter " + name + " has no value and no Default");
    }
    String type = (String) declaration.get("Type");
    if (type.equals("CommaDelimitedList") || type.startsWith("List<")) {
      return List.of(String.valueOf(value).split(",", -1));
    }
    return value;
  }

  boolean condition(String name) {
    Boolean known = conditions.get(name);
    if (known == null) {
      Object definition = map(template.get("Conditions"), "Conditions").get(name);
      if (definition == null) {
        throw new AssertionError("no condition " + name);
      }
      known = truth(definition);
      conditions.put(name, known);
    }
    return known;
  }

  /** The resources CloudFormation creates: those without a Condition or whose Condition holds. */
  Map<String, Object> activeResources() {
    Map<String, Object> active = new LinkedHashMap<>();
    map(template.get("Resources"), "Resources")
        .forEach(
            (id, resource) -> {
              Object condition = map(resource, id).get("Condition");
              if (condition == null || condition((String) condition)) {
                active.put(id, resource);
              }
            });
    return active;
  }

  /** The value with parameters, conditions and AWS::NoValue applied. */
  Object resolve(Object value) {
    Object resolved = resolveOrNoValue(value);
    return resolved == NO_VALUE ? null : resolved;
  }

  private Object resolveOrNoValue(Object value) {
    if (value instanceof Map<?, ?> mapping) {
      Map<Object, Object> out = new LinkedHashMap<>();
      mapping.forEach(
          (key, entry) -> {
            Object resolved = resolveOrNoValue(entry);
            if (resolved != NO_VALUE) {
              out.put(key, resolved);
            }
          });
      return out;
    }
    if (value instanceof List<?> items) {
      List<Object> out = new ArrayList<>();
      for (Object item : items) {
        Object resolved = resolveOrNoValue(item);
        if (resolved != NO_VALUE) {
          out.add(resolved);
        }
      }
      return out;
    }
    if (!(value instanceof Intrinsic call)) {
      return value;
    }
    switch (call.function()) {
      case "Ref" -> {
        String name = (String) call.argument();
        if (name.equals("AWS::NoValue")) {
          return NO_VALUE;
        }
        // A parameter without value or Default stays a Ref: what the test did not set it cannot
        // see.
        return hasValue(name) ? parameter(name) : call;
      }
      case "Fn::If" -> {
        List<?> branches = list(call.argument(), "Fn::If");
        return resolveOrNoValue(
            condition((String) branches.get(0)) ? branches.get(1) : branches.get(2));
      }
      case "Fn::Join" -> {
        List<?> arguments = list(call.argument(), "Fn::Join");
        Object parts = resolveOrNoValue(arguments.get(1));
        if (parts instanceof List<?> strings
            && strings.stream().allMatch(String.class::isInstance)) {
          return String.join(
              (String) arguments.get(0), strings.stream().map(String.class::cast).toList());
        }
        return new Intrinsic("Fn::Join", List.of(arguments.get(0), parts));
      }
      default -> {
        return call;
      }
    }
  }

  private boolean truth(Object expression) {
    if (!(expression instanceof Intrinsic call)) {
      throw new AssertionError("not a condition expression: " + expression);
    }
    return switch (call.function()) {
      case "Condition" -> condition((String) call.argument());
      case "Fn::Not" -> !truth(list(call.argument(), "Fn::Not").get(0));
      case "Fn::And" -> list(call.argument(), "Fn::And").stream().allMatch(this::truth);
      case "Fn::Or" -> list(call.argument(), "Fn::Or").stream().anyMatch(this::truth);
      case "Fn::Equals" -> {
        List<?> sides = list(call.argument(), "Fn::Equals");
        Object left = resolve(sides.get(0));
        Object right = resolve(sides.get(1));
        if (left instanceof Intrinsic || right instanceof Intrinsic) {
          throw new AssertionError("condition compares a value not known here: " + call);
        }
        yield String.valueOf(left).equals(String.valueOf(right));
      }
      default ->
          throw new AssertionError(
              "condition function "
                  + call.function()
                  + " is not modelled here; one of "
                  + Arrays.asList("Condition", "Fn::Not", "Fn::And", "Fn::Or", "Fn::Equals"));
    };
  }

  private boolean hasValue(String name) {
    return parameters().containsKey(name)
        && (parameterValues.containsKey(name)
            || map(parameters().get(name), name).containsKey("Default"));
  }

  private Map<String, Object> parameters() {
    return map(template.get("Parameters"), "Parameters");
  }
}
