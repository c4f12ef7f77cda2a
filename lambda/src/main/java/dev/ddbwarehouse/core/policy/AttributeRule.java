package dev.ddbwarehouse.core.policy;

/**
 * What the policy does with one source attribute. {@code column} is null for DROP and EXTRA; {@code
 * namespace} and {@code normaliser} are set exactly for PSEUDONYMISE.
 */
public record AttributeRule(
    String attribute, Treatment treatment, Column column, String namespace, Normaliser normaliser) {

  public static AttributeRule keep(String attribute, Column column) {
    return new AttributeRule(attribute, Treatment.KEEP, column, null, null);
  }

  public static AttributeRule pseudonymise(
      String attribute, Column column, String namespace, Normaliser normaliser) {
    return new AttributeRule(attribute, Treatment.PSEUDONYMISE, column, namespace, normaliser);
  }

  public static AttributeRule drop(String attribute) {
    return new AttributeRule(attribute, Treatment.DROP, null, null, null);
  }
}
