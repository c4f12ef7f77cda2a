package dev.ddbwarehouse.core.policy;

/**
 * What the policy does with one source attribute. {@code column} is null for DROP and EXTRA; {@code
 * namespace} and {@code normaliser} are set exactly for PSEUDONYMISE; {@code epochUnit} says what a
 * number means in a timestamp column (milliseconds unless the document says otherwise); {@code
 * classification} decides which treatments the attribute may take (see {@link Classification}).
 */
public record AttributeRule(
    String attribute,
    Treatment treatment,
    Column column,
    String namespace,
    Normaliser normaliser,
    EpochUnit epochUnit,
    Classification classification) {

  public AttributeRule {
    if (epochUnit == null) epochUnit = EpochUnit.MILLISECONDS;
    if (classification == null) classification = Classification.OTHER;
  }

  public AttributeRule(
      String attribute,
      Treatment treatment,
      Column column,
      String namespace,
      Normaliser normaliser) {
    this(attribute, treatment, column, namespace, normaliser, null, null);
  }

  public static AttributeRule keep(String attribute, Column column) {
    return new AttributeRule(attribute, Treatment.KEEP, column, null, null);
  }

  public static AttributeRule pseudonymise(
      String attribute, Column column, String namespace, Normaliser normaliser) {
    return new AttributeRule(
        attribute,
        Treatment.PSEUDONYMISE,
        column,
        namespace,
        normaliser,
        null,
        Classification.IDENTIFYING);
  }

  public static AttributeRule drop(String attribute) {
    return new AttributeRule(attribute, Treatment.DROP, null, null, null);
  }

  AttributeRule classified(Classification value) {
    return new AttributeRule(attribute, treatment, column, namespace, normaliser, epochUnit, value);
  }
}
