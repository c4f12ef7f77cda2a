package dev.ddbwarehouse.core.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ddbwarehouse.core.InvalidConfigurationException;
import dev.ddbwarehouse.core.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads the mapping document (an SSM parameter in AWS, a file locally) into a {@link Policy}.
 *
 * <p>Entries merge over the built-in defaults by attribute name. Mapping a column from another
 * attribute replaces the default attribute for that column; {@code "replaceDefaults": true} starts
 * from nothing. Every error names the entry at fault.
 */
public final class MappingDocument {

  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9_.-]{1,32}");
  private static final String OVERRIDE = "storeIdentifyingRaw";
  private static final Set<String> TOP_LEVEL =
      Set.of("attributes", "ttlDeletes", "replaceDefaults", "versionWindow", OVERRIDE);
  private static final Set<String> ENTRY_FIELDS =
      Set.of("treatment", "column", "namespace", "normalise", "epochUnit", "classification");
  private static final Set<Column> TIMESTAMP_COLUMNS = Set.of(Column.CREATED_AT, Column.UPDATED_AT);
  private static final Map<Column, Normaliser> DEFAULT_NORMALISER =
      Map.of(
          Column.USER_PSEUDONYM, Normaliser.TRIM,
          Column.ACCOUNT_PSEUDONYM, Normaliser.TRIM,
          Column.COUNTERPARTY_PSEUDONYM, Normaliser.IBAN,
          Column.EMAIL_PSEUDONYM, Normaliser.EMAIL,
          Column.PHONE_PSEUDONYM, Normaliser.PHONE);

  private MappingDocument() {}

  /** The built-in policy (resource {@code default-mapping.json}). */
  public static Policy defaults() {
    try (InputStream in = MappingDocument.class.getResourceAsStream("/default-mapping.json")) {
      if (in == null) throw new IllegalStateException("default-mapping.json missing from the jar");
      return parse(
          new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in defaults", null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses a user document over the defaults; {@code source} names it in error messages. */
  public static Policy parse(String json, String source) {
    return parse(json, source, defaults());
  }

  private static Policy parse(String json, String source, Policy base) {
    String where = "mapping document " + source;
    JsonValue parsed;
    try {
      parsed = JsonValue.parse(json);
    } catch (JsonProcessingException e) {
      String at = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw new InvalidConfigurationException(
          where + " is not valid JSON" + at + ": " + e.getOriginalMessage());
    }
    if (!(parsed instanceof JsonValue.Obj root)) {
      throw new InvalidConfigurationException(where + " must be a JSON object");
    }
    for (String name : root.fields().keySet()) {
      if (!TOP_LEVEL.contains(name)) {
        throw new InvalidConfigurationException(
            where + ": unknown key \"" + name + "\" (allowed: " + TOP_LEVEL + ")");
      }
    }
    boolean replace = "true".equals(root.text("replaceDefaults"));
    Map<String, AttributeRule> rules = new LinkedHashMap<>();
    if (base != null && !replace) rules.putAll(base.rules());

    JsonValue attributes = root.get("attributes");
    if (attributes != null && !(attributes instanceof JsonValue.Obj)) {
      throw new InvalidConfigurationException(where + ": \"attributes\" must be an object");
    }
    if (attributes instanceof JsonValue.Obj entries) {
      Map<Column, String> mappedHere = new EnumMap<>(Column.class);
      for (Map.Entry<String, JsonValue> e : entries.fields().entrySet()) {
        String at = where + ": attributes." + e.getKey();
        AttributeRule rule = classify(rule(e.getKey(), e.getValue(), at), e.getValue(), base, at);
        if (rule.column() != null) {
          String previous = mappedHere.put(rule.column(), rule.attribute());
          if (previous != null) {
            throw new InvalidConfigurationException(
                where
                    + ": column "
                    + rule.column().sqlName()
                    + " is fed by both attributes."
                    + previous
                    + " and attributes."
                    + rule.attribute());
          }
          // The column now comes from this attribute: forget the default that fed it before.
          rules
              .values()
              .removeIf(
                  r -> rule.column() == r.column() && !r.attribute().equals(rule.attribute()));
        }
        rules.put(e.getKey(), rule);
      }
    }
    checkColumns(rules, where);
    SortedSet<String> storedRaw = checkIdentifyingNeverRaw(rules, root.get(OVERRIDE), where);

    TtlDeletes ttl = base == null ? TtlDeletes.IGNORE : base.ttlDeletes();
    if (root.get("ttlDeletes") != null) {
      ttl = TtlDeletes.parse(String.valueOf(root.text("ttlDeletes")), where + ": ttlDeletes");
    }
    VersionWindow window = base == null ? VersionWindow.DEFAULT : base.versionWindow();
    if (root.get("versionWindow") != null) {
      window = VersionWindow.parse(root.get("versionWindow"), window, where + ": versionWindow");
    }
    return new Policy(rules, ttl, window, storedRaw);
  }

  /**
   * The entry's classification: as declared, else the built-in one of the same attribute, else what
   * its treatment implies (pseudonymised and generalised attributes are identifying). A built-in
   * {@code identifying} attribute cannot be declared anything less: that would be a silent way
   * around the raw-storage check.
   */
  private static AttributeRule classify(
      AttributeRule rule, JsonValue entry, Policy base, String where) {
    Classification builtIn =
        base == null
            ? null
            : base.rule(rule.attribute()).map(AttributeRule::classification).orElse(null);
    String declared = ((JsonValue.Obj) entry).text("classification");
    if (declared == null) {
      return builtIn != null ? rule.classified(builtIn) : rule;
    }
    Classification value =
        Classification.byDocumentName(declared)
            .orElseThrow(
                () ->
                    new InvalidConfigurationException(
                        where
                            + ": unknown classification \""
                            + declared
                            + "\" (identifying, quasi-identifying, other)"));
    if (builtIn == Classification.IDENTIFYING && value != Classification.IDENTIFYING) {
      throw new InvalidConfigurationException(
          where
              + ": is identifying and cannot be classified \""
              + declared
              + "\"; to store it raw anyway, name it in \""
              + OVERRIDE
              + "\"");
    }
    return rule.classified(value);
  }

  /**
   * Refuses any identifying attribute that would reach the warehouse raw ({@code keep} into a
   * column, or {@code extra}) unless {@code storeIdentifyingRaw} names it; an override that names
   * anything else is refused too, so none outlives the rule it was written for.
   */
  private static SortedSet<String> checkIdentifyingNeverRaw(
      Map<String, AttributeRule> rules, JsonValue override, String where) {
    SortedSet<String> allowed = new TreeSet<>();
    if (override != null) {
      if (!(override instanceof JsonValue.Arr names)) {
        throw new InvalidConfigurationException(
            where + ": \"" + OVERRIDE + "\" must be an array of attribute names");
      }
      for (JsonValue name : names.items()) {
        if (!(name instanceof JsonValue.Str str)) {
          throw new InvalidConfigurationException(
              where + ": \"" + OVERRIDE + "\" must be an array of attribute names");
        }
        allowed.add(str.value());
      }
    }
    for (AttributeRule r : rules.values()) {
      boolean raw =
          r.classification() == Classification.IDENTIFYING
              && Classification.storesRaw(r.treatment());
      if (raw && !allowed.contains(r.attribute())) {
        throw new InvalidConfigurationException(
            where
                + ": attributes."
                + r.attribute()
                + ": identifying attribute would be stored raw (treatment \""
                + r.treatment().documentName()
                + "\"); pseudonymise, generalise or drop it, or name it in \""
                + OVERRIDE
                + "\" to store it raw on purpose");
      }
    }
    for (String name : allowed) {
      AttributeRule r = rules.get(name);
      if (r == null
          || r.classification() != Classification.IDENTIFYING
          || !Classification.storesRaw(r.treatment())) {
        throw new InvalidConfigurationException(
            where
                + ": \""
                + OVERRIDE
                + "\" names "
                + name
                + ", which is not an identifying attribute stored raw");
      }
    }
    return allowed;
  }

  private static AttributeRule rule(String attribute, JsonValue value, String where) {
    if (attribute.isEmpty())
      throw new InvalidConfigurationException(where + ": empty attribute name");
    if (!(value instanceof JsonValue.Obj entry))
      throw new InvalidConfigurationException(where + " must be an object");
    for (String f : entry.fields().keySet()) {
      if (!ENTRY_FIELDS.contains(f)) {
        throw new InvalidConfigurationException(
            where + ": unknown field \"" + f + "\" (allowed: " + ENTRY_FIELDS + ")");
      }
    }
    String treatmentName = entry.text("treatment");
    if (treatmentName == null)
      throw new InvalidConfigurationException(where + ": \"treatment\" is required");
    Treatment treatment =
        Treatment.byDocumentName(treatmentName)
            .orElseThrow(
                () ->
                    new InvalidConfigurationException(
                        where
                            + ": unknown treatment \""
                            + treatmentName
                            + "\" (keep, pseudonymise, generalise-ip, drop, extra)"));
    String columnName = entry.text("column");
    String namespace = entry.text("namespace");
    String normalise = entry.text("normalise");
    EpochUnit epochUnit = epochUnit(entry, where);

    if (treatment == Treatment.DROP || treatment == Treatment.EXTRA) {
      if (columnName != null || namespace != null || normalise != null) {
        throw new InvalidConfigurationException(
            where
                + ": treatment \""
                + treatmentName
                + "\" takes no column, namespace or normalise");
      }
      if (epochUnit != null) {
        throw new InvalidConfigurationException(
            where + ": only columns created_at and updated_at take \"epochUnit\"");
      }
      return new AttributeRule(attribute, treatment, null, null, null);
    }
    if (columnName == null) {
      throw new InvalidConfigurationException(
          where + ": treatment \"" + treatmentName + "\" needs \"column\"");
    }
    Column column =
        Column.bySqlName(columnName)
            .orElseThrow(
                () ->
                    new InvalidConfigurationException(
                        where + ": unknown column \"" + columnName + "\""));
    if (column.treatment() != treatment) {
      throw new InvalidConfigurationException(
          where
              + ": column "
              + columnName
              + " takes treatment \""
              + column.treatment().documentName()
              + "\", not \""
              + treatmentName
              + "\"");
    }
    if (epochUnit != null && !TIMESTAMP_COLUMNS.contains(column)) {
      throw new InvalidConfigurationException(
          where + ": only columns created_at and updated_at take \"epochUnit\"");
    }
    if (treatment != Treatment.PSEUDONYMISE) {
      if (namespace != null || normalise != null) {
        throw new InvalidConfigurationException(
            where + ": only treatment \"pseudonymise\" takes namespace and normalise");
      }
      Classification implied =
          treatment == Treatment.GENERALISE_IP ? Classification.IDENTIFYING : Classification.OTHER;
      return new AttributeRule(attribute, treatment, column, null, null, epochUnit, implied);
    }
    if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
      throw new InvalidConfigurationException(
          where + ": \"namespace\" is required and must match [a-z0-9_.-]{1,32}");
    }
    Normaliser normaliser =
        normalise == null
            ? DEFAULT_NORMALISER.get(column)
            : Normaliser.byDocumentName(normalise)
                .orElseThrow(
                    () ->
                        new InvalidConfigurationException(
                            where
                                + ": unknown normalise \""
                                + normalise
                                + "\" (trim, iban, email, phone)"));
    return AttributeRule.pseudonymise(attribute, column, namespace, normaliser);
  }

  /** Null when the entry does not say (then milliseconds). */
  private static EpochUnit epochUnit(JsonValue.Obj entry, String where) {
    String name = entry.text("epochUnit");
    if (name == null) return null;
    return EpochUnit.byDocumentName(name)
        .orElseThrow(
            () ->
                new InvalidConfigurationException(
                    where + ": unknown epochUnit \"" + name + "\" (ms, s)"));
  }

  private static void checkColumns(Map<String, AttributeRule> rules, String where) {
    Map<Column, String> seen = new EnumMap<>(Column.class);
    for (AttributeRule r : rules.values()) {
      if (r.column() == null) continue;
      String previous = seen.put(r.column(), r.attribute());
      if (previous != null) {
        throw new InvalidConfigurationException(
            where
                + ": column "
                + r.column().sqlName()
                + " is fed by both attributes."
                + previous
                + " and attributes."
                + r.attribute());
      }
    }
    for (Column c : Column.values()) {
      if (c.required() && !seen.containsKey(c)) {
        throw new InvalidConfigurationException(
            where + ": required column " + c.sqlName() + " is not fed by any attribute");
      }
    }
  }
}
