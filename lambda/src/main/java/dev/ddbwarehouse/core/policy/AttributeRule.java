package dev.ddbwarehouse.core.policy;

/**
 * What the policy does with one source attribute of a table.
 *
 * @param column the target column, null for DROP and EXTRA
 * @param namespace and {@code normaliser}: set exactly for PSEUDONYMISE
 * @param epochUnit what a number means where a timestamp is read (milliseconds unless declared)
 * @param classification decides which treatments the attribute may take ({@link Classification})
 * @param type what a KEEP value must be; null for other treatments
 * @param required an image without a value for this column is quarantined
 * @param generalisation the parameters of TRUNCATE, BUCKET and ALLOW_LIST; null otherwise
 * @param region the default region of national phone numbers for {@link Normaliser#PHONE_E164} (ISO
 *     3166-1 alpha-2); null otherwise
 */
public record AttributeRule(
    String attribute,
    Treatment treatment,
    String column,
    String namespace,
    Normaliser normaliser,
    EpochUnit epochUnit,
    Classification classification,
    ValueType type,
    boolean required,
    Generalisation generalisation,
    String region) {

  public AttributeRule(
      String attribute,
      Treatment treatment,
      String column,
      String namespace,
      Normaliser normaliser,
      EpochUnit epochUnit,
      Classification classification,
      ValueType type,
      boolean required,
      Generalisation generalisation) {
    this(
        attribute,
        treatment,
        column,
        namespace,
        normaliser,
        epochUnit,
        classification,
        type,
        required,
        generalisation,
        null);
  }

  /** The value as this rule's normaliser (and its region) writes it before hashing. */
  public String normalise(String raw) {
    return normaliser.apply(raw, region);
  }

  public AttributeRule withRegion(String value) {
    return new AttributeRule(
        attribute,
        treatment,
        column,
        namespace,
        normaliser,
        epochUnit,
        classification,
        type,
        required,
        generalisation,
        value);
  }

  public AttributeRule {
    if (epochUnit == null) epochUnit = EpochUnit.MILLISECONDS;
    if (classification == null) classification = Classification.OTHER;
    if (treatment == Treatment.KEEP && type == null) type = ValueType.STRING;
  }

  public static AttributeRule keep(String attribute, String column, ValueType type) {
    return new AttributeRule(
        attribute, Treatment.KEEP, column, null, null, null, null, type, false, null);
  }

  public static AttributeRule pseudonymise(
      String attribute, String column, String namespace, Normaliser normaliser) {
    return new AttributeRule(
        attribute,
        Treatment.PSEUDONYMISE,
        column,
        namespace,
        normaliser,
        null,
        Classification.IDENTIFYING,
        null,
        false,
        null);
  }

  public static AttributeRule drop(String attribute) {
    return new AttributeRule(
        attribute, Treatment.DROP, null, null, null, null, null, null, false, null);
  }

  /** What the rule writes into its column; null for DROP and EXTRA, which write no column. */
  public Output output() {
    return switch (treatment) {
      case KEEP -> type.output();
      case PSEUDONYMISE, ALLOW_LIST -> Output.TEXT;
      case GENERALISE_IP -> Output.NETWORK;
      case TRUNCATE -> Output.CALENDAR;
      case BUCKET -> Output.INTEGER;
      case DROP, EXTRA -> null;
    };
  }

  public AttributeRule classified(Classification value) {
    return new AttributeRule(
        attribute,
        treatment,
        column,
        namespace,
        normaliser,
        epochUnit,
        value,
        type,
        required,
        generalisation,
        region);
  }

  public AttributeRule withRequired(boolean value) {
    return new AttributeRule(
        attribute,
        treatment,
        column,
        namespace,
        normaliser,
        epochUnit,
        classification,
        type,
        value,
        generalisation,
        region);
  }
}
