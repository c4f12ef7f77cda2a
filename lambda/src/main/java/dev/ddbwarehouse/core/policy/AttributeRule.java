package dev.ddbwarehouse.core.policy;

/**
 * What the policy does with one source attribute. {@code column} is null for DROP and EXTRA; {@code
 * namespace} and {@code normaliser} are set exactly for PSEUDONYMISE.
 */
public record AttributeRule(
    String attribute,
    Treatment treatment,
    Column column,
    String namespace,
    Normaliser normaliser,
    Classification classification) {

  public static AttributeRule keep(String attribute, Column column) {
    return new AttributeRule(attribute, Treatment.KEEP, column, null, null, Classification.OTHER);
  }

  public static AttributeRule pseudonymise(
      String attribute, Column column, String namespace, Normaliser normaliser) {
    return new AttributeRule(
        attribute,
        Treatment.PSEUDONYMISE,
        column,
        namespace,
        normaliser,
        Classification.IDENTIFYING);
  }

  public static AttributeRule drop(String attribute) {
    return new AttributeRule(attribute, Treatment.DROP, null, null, null, Classification.OTHER);
  }

  AttributeRule classified(Classification value) {
    return new AttributeRule(attribute, treatment, column, namespace, normaliser, value);
  }
}
