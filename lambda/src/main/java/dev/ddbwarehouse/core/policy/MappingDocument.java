package dev.ddbwarehouse.core.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ddbwarehouse.core.InvalidConfigurationException;
import dev.ddbwarehouse.core.json.JsonValue;
import dev.ddbwarehouse.core.table.Erasure;
import dev.ddbwarehouse.core.table.Mapping;
import dev.ddbwarehouse.core.table.TableSpec;
import dev.ddbwarehouse.core.table.TargetTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads the mapping document (an SSM parameter in AWS, a file locally) into a {@link Mapping}: one
 * {@link TableSpec} per source table (docs/mapping.md).
 *
 * <p>Version 2 has a {@code tables} object. An entry named like a built-in entry merges over it by
 * attribute name (mapping a column from another attribute replaces the built-in attribute for that
 * column; {@code "replaceDefaults": true} starts from nothing); any other entry is a new table and
 * must say everything. Version 1 (a top-level {@code attributes}) is the transactions entry, merged
 * the same way, and takes the records of every table. Every error names the entry at fault.
 */
public final class MappingDocument {

  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9_.-]{1,32}");
  private static final Pattern ENTRY_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  private static final Pattern COLUMN = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Pattern DYNAMO_TABLE = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
  private static final String OVERRIDE = "storeIdentifyingRaw";
  private static final String TRANSACTIONS = "transactions";
  private static final Set<String> V1_TOP_LEVEL =
      Set.of("attributes", "ttlDeletes", "replaceDefaults", "versionWindow", OVERRIDE);
  private static final Set<String> V2_TOP_LEVEL = Set.of("tables", "ttlDeletes", "versionWindow");
  private static final Set<String> TABLE_FIELDS =
      Set.of(
          "source",
          "shadow",
          "target",
          "key",
          "version",
          "ttlDeletes",
          "versionWindow",
          OVERRIDE,
          "replaceDefaults",
          "erasure",
          "quasiIdentifiers",
          "attributes");
  private static final Set<String> ENTRY_FIELDS =
      new LinkedHashSet<>(
          List.of(
              "treatment",
              "column",
              "namespace",
              "normalise",
              "region",
              "epochUnit",
              "classification",
              "type",
              "required",
              "unit",
              "width",
              "of",
              "values",
              "other"));

  /** Which fields each treatment takes besides treatment, classification and required. */
  private static final Map<Treatment, Set<String>> TREATMENT_FIELDS =
      Map.of(
          Treatment.KEEP, Set.of("column", "type", "epochUnit"),
          Treatment.PSEUDONYMISE, Set.of("column", "namespace", "normalise", "region"),
          Treatment.GENERALISE_IP, Set.of("column"),
          Treatment.TRUNCATE, Set.of("column", "unit", "epochUnit"),
          Treatment.BUCKET, Set.of("column", "width", "of", "epochUnit"),
          Treatment.ALLOW_LIST, Set.of("column", "values", "other"),
          Treatment.DROP, Set.of(),
          Treatment.EXTRA, Set.of());

  private static volatile Map<String, TableSpec> builtIns;

  private MappingDocument() {}

  /** The built-in document ({@code default-mapping.json}): every built-in table. */
  public static Mapping defaults() {
    return new Mapping(List.copyOf(builtIns().values()), false);
  }

  /** Parses a user document over the built-in entries; {@code source} names it in messages. */
  public static Mapping parse(String json, String source) {
    return parse(json, source, builtIns());
  }

  private static Map<String, TableSpec> builtIns() {
    Map<String, TableSpec> b = builtIns;
    if (b == null) {
      try (InputStream in = MappingDocument.class.getResourceAsStream("/default-mapping.json")) {
        if (in == null)
          throw new IllegalStateException("default-mapping.json missing from the jar");
        Mapping m =
            parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in", Map.of());
        Map<String, TableSpec> byName = new LinkedHashMap<>();
        m.tables().forEach(t -> byName.put(t.name(), t));
        builtIns = b = byName;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return b;
  }

  private static Mapping parse(String json, String source, Map<String, TableSpec> base) {
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
    if (root.get("tables") == null) {
      allowOnly(root, V1_TOP_LEVEL, where, "key");
      TableSpec transactions = table(TRANSACTIONS, root, base.get(TRANSACTIONS), null, where, true);
      return new Mapping(List.of(transactions), true);
    }
    allowOnly(root, V2_TOP_LEVEL, where, "key");
    if (!(root.get("tables") instanceof JsonValue.Obj tables) || tables.fields().isEmpty()) {
      throw new InvalidConfigurationException(
          where + ": \"tables\" must be an object with one entry per source table");
    }
    List<TableSpec> specs = new ArrayList<>();
    Map<String, String> routes = new HashMap<>();
    Map<String, String> targets = new HashMap<>();
    for (Map.Entry<String, JsonValue> e : tables.fields().entrySet()) {
      String name = e.getKey();
      String at = where + ": tables." + name;
      if (!ENTRY_NAME.matcher(name).matches()) {
        throw new InvalidConfigurationException(
            at + ": an entry name must match [a-z][a-z0-9_]{0,62}");
      }
      if (!(e.getValue() instanceof JsonValue.Obj entry)) {
        throw new InvalidConfigurationException(at + " must be an object");
      }
      TableSpec spec = table(name, entry, base.get(name), root, at, false);
      for (String table : List.of(spec.source(), spec.shadow())) {
        String other = routes.putIfAbsent(table, name);
        if (other != null && !other.equals(name)) {
          throw new InvalidConfigurationException(
              at
                  + ": DynamoDB table "
                  + table
                  + " is already the source or shadow of tables."
                  + other);
        }
      }
      String other = targets.putIfAbsent(spec.target().toString(), name);
      if (other != null) {
        throw new InvalidConfigurationException(
            at + ": target " + spec.target() + " is already written by tables." + other);
      }
      specs.add(spec);
    }
    return new Mapping(specs, false);
  }

  /**
   * One table entry over its built-in entry ({@code base}, null for a new table). {@code document}
   * is the version 2 root, whose ttlDeletes and versionWindow are defaults for every entry; null
   * for version 1, where the entry is the root.
   */
  private static TableSpec table(
      String name,
      JsonValue.Obj entry,
      TableSpec base,
      JsonValue.Obj document,
      String where,
      boolean v1) {
    if (!v1) allowOnly(entry, TABLE_FIELDS, where, "field");
    boolean replace = "true".equals(entry.text("replaceDefaults"));
    if (replace && base == null) {
      throw new InvalidConfigurationException(
          where + ": \"replaceDefaults\" applies only to a built-in entry");
    }
    Map<String, AttributeRule> rules = new LinkedHashMap<>();
    if (base != null && !replace) rules.putAll(base.rules());

    JsonValue attributes = entry.get("attributes");
    if (attributes != null && !(attributes instanceof JsonValue.Obj)) {
      throw new InvalidConfigurationException(where + ": \"attributes\" must be an object");
    }
    if (attributes == null && base == null) {
      throw new InvalidConfigurationException(where + ": \"attributes\" is required");
    }
    if (attributes instanceof JsonValue.Obj entries) {
      Map<String, String> mappedHere = new HashMap<>();
      for (Map.Entry<String, JsonValue> e : entries.fields().entrySet()) {
        String at = where + ": attributes." + e.getKey();
        AttributeRule rule =
            classify(rule(e.getKey(), e.getValue(), at, base), e.getValue(), base, at);
        if (rule.column() != null) {
          String previous = mappedHere.put(rule.column(), rule.attribute());
          if (previous != null) throw twoFeed(where, rule.column(), previous, rule.attribute());
          // The column now comes from this attribute: forget the built-in rule that fed it before.
          rules
              .values()
              .removeIf(
                  r -> rule.column().equals(r.column()) && !r.attribute().equals(rule.attribute()));
        }
        rules.put(e.getKey(), rule);
      }
    }
    checkColumns(rules, base, where);
    SortedSet<String> storedRaw = checkIdentifyingNeverRaw(rules, entry.get(OVERRIDE), where);

    String source = text(entry, "source", where);
    if (source == null) source = base != null ? base.source() : null;
    if (source == null && !v1) throw required(where, "source");
    if (v1 && source == null) source = TRANSACTIONS;
    checkDynamoTable(source, where, "source");
    String shadow = text(entry, "shadow", where);
    if (shadow == null) {
      shadow = base != null && entry.get("source") == null ? base.shadow() : source + "-backfill";
    }
    checkDynamoTable(shadow, where, "shadow");
    if (shadow.equals(source)) {
      throw new InvalidConfigurationException(where + ": \"shadow\" must differ from \"source\"");
    }
    String targetText = text(entry, "target", where);
    TargetTable target =
        targetText != null
            ? TargetTable.parse(targetText, where)
            : base != null ? base.target() : null;
    if (target == null) throw required(where, "target");

    List<String> key = names(entry, "key", where);
    if (key == null) key = base != null ? following(base.keyAttributes(), base, rules) : null;
    if (key == null) throw required(where, "key");
    if (key.isEmpty() || key.size() > 2) {
      throw new InvalidConfigurationException(
          where + ": \"key\" names the partition key, and the sort key if the table has one");
    }
    for (String k : key) checkKey(rules.get(k), k, where);
    List<String> version = names(entry, "version", where);
    if (version == null) {
      version = base != null ? following(base.versionAttributes(), base, rules) : List.of();
    }
    if (version.size() != new LinkedHashSet<>(version).size()) {
      throw new InvalidConfigurationException(where + ": \"version\" names an attribute twice");
    }
    for (String v : version) checkVersion(rules.get(v), v, where);

    TtlDeletes ttl = base != null ? base.ttlDeletes() : TtlDeletes.IGNORE;
    VersionWindow window = base != null ? base.versionWindow() : VersionWindow.DEFAULT;
    for (JsonValue.Obj level : document == null ? List.of(entry) : List.of(document, entry)) {
      String at = level == entry ? where : where.substring(0, where.indexOf(": tables."));
      if (level.get("ttlDeletes") != null) {
        ttl = TtlDeletes.parse(String.valueOf(level.text("ttlDeletes")), at + ": ttlDeletes");
      }
      if (level.get("versionWindow") != null) {
        window = VersionWindow.parse(level.get("versionWindow"), window, at + ": versionWindow");
      }
    }
    Erasure erasure = erasure(entry.get("erasure"), base, rules, key, where + ": erasure");
    List<String> quasi = quasiIdentifiers(entry.get("quasiIdentifiers"), base, rules, where);
    return new TableSpec(
        name, source, shadow, target, key, version, rules, ttl, window, storedRaw, erasure, quasi);
  }

  /**
   * The entry's quasi-identifier columns as declared, else the built-in entry's that the entry
   * still writes (an override that maps no attribute to a built-in one, or pseudonymises it, leaves
   * nothing of it for an analyst to match on), else none. A pseudonym column is refused: it is
   * unique per subject by design, so every class would hold one subject and the check says nothing.
   */
  private static List<String> quasiIdentifiers(
      JsonValue node, TableSpec base, Map<String, AttributeRule> rules, String where) {
    Set<String> columns = new HashSet<>();
    Set<String> pseudonyms = new HashSet<>();
    for (AttributeRule r : rules.values()) {
      if (r.column() == null) continue;
      (r.treatment() == Treatment.PSEUDONYMISE ? pseudonyms : columns).add(r.column());
    }
    if (node == null) {
      if (base == null) return List.of();
      return base.quasiIdentifiers().stream().filter(columns::contains).toList();
    }
    String field = "\"quasiIdentifiers\"";
    List<String> out = new ArrayList<>();
    if (!(node instanceof JsonValue.Arr arr)
        || !arr.items().stream()
            .allMatch(i -> i instanceof JsonValue.Str s && !s.value().isEmpty())) {
      throw new InvalidConfigurationException(
          where + ": " + field + " must be an array of column names");
    }
    for (JsonValue item : arr.items()) {
      String c = item.text();
      if (pseudonyms.contains(c)) {
        throw new InvalidConfigurationException(
            where
                + ": "
                + field
                + " names the pseudonym column "
                + c
                + ", which is unique per subject by design; name the columns an outsider could"
                + " know (e.g. birth year band, country)");
      }
      if (!columns.contains(c)) {
        throw new InvalidConfigurationException(
            where + ": " + field + " names " + c + ", which is not a column of this entry");
      }
      if (out.contains(c)) {
        throw new InvalidConfigurationException(where + ": " + field + " names " + c + " twice");
      }
      out.add(c);
    }
    return out;
  }

  /**
   * The entry's erasure action, else the built-in entry's, else {@link Erasure#DELETE_ROWS};
   * checked against the entry's columns either way (an override may have renamed a cleared column).
   */
  private static Erasure erasure(
      JsonValue node,
      TableSpec base,
      Map<String, AttributeRule> rules,
      List<String> key,
      String where) {
    Erasure erasure = base != null ? base.erasure() : Erasure.DELETE_ROWS;
    if (node != null) {
      if (!(node instanceof JsonValue.Obj obj)) {
        throw new InvalidConfigurationException(
            where + " must be an object {\"action\": \"delete\" | \"anonymise\", \"clear\": [..]}");
      }
      allowOnly(obj, Set.of("action", "clear"), where, "field");
      String word = text(obj, "action", where);
      Erasure.Action action = word == null ? null : Erasure.Action.parse(word);
      if (action == null) {
        throw new InvalidConfigurationException(
            where + ": \"action\" must be \"delete\" or \"anonymise\"");
      }
      List<String> clear = names(obj, "clear", where);
      erasure = new Erasure(action, clear == null ? List.of() : clear);
    }
    Set<String> columns = new HashSet<>();
    Set<String> keyColumns = new HashSet<>();
    for (AttributeRule r : rules.values()) {
      if (r.column() == null) continue;
      columns.add(r.column());
      if (key.contains(r.attribute())) keyColumns.add(r.column());
    }
    if (rules.values().stream().anyMatch(r -> r.treatment() == Treatment.EXTRA)) {
      columns.add(TableSpec.EXTRA_COLUMN);
    }
    if (node == null && !erasure.clearColumns().isEmpty()) {
      // Inherited from the built-in entry: an override that no longer writes a cleared column
      // (replaceDefaults, a renamed column) has nothing there to clear.
      erasure =
          new Erasure(
              erasure.action(),
              erasure.clearColumns().stream()
                  .filter(c -> columns.contains(c) && !keyColumns.contains(c))
                  .toList());
    }
    if (erasure.action() == Erasure.Action.DELETE && !erasure.clearColumns().isEmpty()) {
      throw new InvalidConfigurationException(
          where + ": \"clear\" applies to \"anonymise\" only (\"delete\" removes whole rows)");
    }
    for (String c : erasure.clearColumns()) {
      if (!columns.contains(c)) {
        throw new InvalidConfigurationException(
            where + ": \"clear\" names " + c + ", which is not a column of this entry");
      }
      if (keyColumns.contains(c)) {
        throw new InvalidConfigurationException(
            where + ": \"clear\" names the key column " + c + ", which must stay set");
      }
    }
    if (erasure.action() == Erasure.Action.ANONYMISE) {
      for (String k : key) {
        AttributeRule r = rules.get(k);
        if (r != null && r.treatment() == Treatment.PSEUDONYMISE) {
          throw new InvalidConfigurationException(
              where
                  + ": \"anonymise\" keeps rows with their key, but key attribute "
                  + k
                  + " is a pseudonym: use \"delete\"");
        }
      }
    }
    return erasure;
  }

  /**
   * The built-in key or version attributes, each replaced by the attribute that now feeds its
   * column: mapping transaction_id from "txId" makes txId the key.
   */
  private static List<String> following(
      List<String> attributes, TableSpec base, Map<String, AttributeRule> rules) {
    List<String> out = new ArrayList<>();
    for (String a : attributes) {
      String column = base.rule(a).map(AttributeRule::column).orElse(null);
      String now = a;
      if (column != null && !(rules.get(a) != null && column.equals(rules.get(a).column()))) {
        for (AttributeRule r : rules.values()) if (column.equals(r.column())) now = r.attribute();
      }
      out.add(now);
    }
    return out;
  }

  private static void allowOnly(JsonValue.Obj obj, Set<String> allowed, String where, String what) {
    for (String name : obj.fields().keySet()) {
      if (!allowed.contains(name)) {
        throw new InvalidConfigurationException(
            where
                + ": unknown "
                + what
                + " \""
                + name
                + "\" (allowed: "
                + new TreeSet<>(allowed)
                + ")");
      }
    }
  }

  private static InvalidConfigurationException required(String where, String field) {
    return new InvalidConfigurationException(
        where + ": \"" + field + "\" is required for a table that is not built in");
  }

  private static String text(JsonValue.Obj entry, String field, String where) {
    JsonValue v = entry.get(field);
    if (v == null) return null;
    if (!(v instanceof JsonValue.Str s) || s.value().isBlank()) {
      throw new InvalidConfigurationException(where + ": \"" + field + "\" must be a string");
    }
    return s.value();
  }

  /** An array of attribute names, or null when absent. */
  private static List<String> names(JsonValue.Obj entry, String field, String where) {
    JsonValue v = entry.get(field);
    if (v == null) return null;
    List<String> out = new ArrayList<>();
    if (v instanceof JsonValue.Arr arr) {
      for (JsonValue item : arr.items()) {
        if (!(item instanceof JsonValue.Str s) || s.value().isEmpty()) {
          out = null;
          break;
        }
        out.add(s.value());
      }
      if (out != null) return out;
    }
    throw new InvalidConfigurationException(
        where + ": \"" + field + "\" must be an array of attribute names");
  }

  private static void checkDynamoTable(String name, String where, String field) {
    if (!DYNAMO_TABLE.matcher(name).matches()) {
      throw new InvalidConfigurationException(
          where + ": \"" + field + "\" must be a DynamoDB table name ([A-Za-z0-9_.-]{3,255})");
    }
  }

  private static void checkKey(AttributeRule rule, String attribute, String where) {
    if (rule == null || rule.column() == null) {
      throw new InvalidConfigurationException(
          where
              + ": key attribute "
              + attribute
              + " needs a rule in \"attributes\" that writes a column (keep or pseudonymise)");
    }
    boolean keepable =
        rule.treatment() == Treatment.KEEP
            && Set.of(
                    ValueType.STRING,
                    ValueType.NUMBER,
                    ValueType.INTEGER,
                    ValueType.TIMESTAMP,
                    ValueType.DATE)
                .contains(rule.type());
    if (!keepable && rule.treatment() != Treatment.PSEUDONYMISE) {
      throw new InvalidConfigurationException(
          where
              + ": key attribute "
              + attribute
              + " must be kept (type string, number, integer, timestamp or date) or pseudonymised;"
              + " a generalised key would merge distinct items into one row");
    }
  }

  private static void checkVersion(AttributeRule rule, String attribute, String where) {
    if (rule != null && rule.treatment() == Treatment.KEEP && rule.type() != ValueType.TIMESTAMP) {
      throw new InvalidConfigurationException(
          where
              + ": version attribute "
              + attribute
              + " is kept as type \""
              + rule.type().documentName()
              + "\"; a version must be a timestamp (ISO-8601 or epoch number)");
    }
  }

  private static InvalidConfigurationException twoFeed(
      String where, String column, String first, String second) {
    return new InvalidConfigurationException(
        where
            + ": column "
            + column
            + " is fed by both attributes."
            + first
            + " and attributes."
            + second);
  }

  /**
   * The entry's classification: as declared, else the built-in one of the same attribute, else the
   * built-in one of the attribute that fed the same column (a customerId mapped to user_pseudonym
   * is as identifying as the userId it replaces), else what its treatment implies. A built-in
   * {@code identifying} attribute or column cannot be declared anything less: that would be a
   * silent way around the raw-storage check.
   */
  private static AttributeRule classify(
      AttributeRule rule, JsonValue entry, TableSpec base, String where) {
    Classification builtIn = null;
    if (base != null) {
      builtIn = base.rule(rule.attribute()).map(AttributeRule::classification).orElse(null);
      AttributeRule sameColumn =
          base.rule(rule.attribute()).isPresent() ? null : feeding(base, rule.column());
      if (builtIn == null && sameColumn != null) builtIn = sameColumn.classification();
    }
    String declared = ((JsonValue.Obj) entry).text("classification");
    if (declared == null) {
      if (builtIn != null) return rule.classified(builtIn);
      return rule;
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

  /** The built-in rule that feeds {@code column}, or null. */
  private static AttributeRule feeding(TableSpec base, String column) {
    if (base == null || column == null) return null;
    for (AttributeRule r : base.rules().values()) if (column.equals(r.column())) return r;
    return null;
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

  private static AttributeRule rule(
      String attribute, JsonValue value, String where, TableSpec base) {
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
                            + "\" ("
                            + Treatment.names()
                            + ")"));
    Set<String> takes = TREATMENT_FIELDS.get(treatment);
    for (String f : entry.fields().keySet()) {
      boolean common = f.equals("treatment") || f.equals("classification");
      boolean requiredField =
          f.equals("required") && treatment != Treatment.DROP && treatment != Treatment.EXTRA;
      if (!common && !requiredField && !takes.contains(f)) {
        throw new InvalidConfigurationException(
            where
                + ": treatment \""
                + treatmentName
                + "\" takes no \""
                + f
                + "\""
                + allowedNote(takes));
      }
    }
    if (treatment == Treatment.DROP || treatment == Treatment.EXTRA) {
      return new AttributeRule(
          attribute, treatment, null, null, null, null, null, null, false, null);
    }
    String column = entry.text("column");
    if (column == null) {
      throw new InvalidConfigurationException(
          where + ": treatment \"" + treatmentName + "\" needs \"column\"");
    }
    if (!COLUMN.matcher(column).matches()) {
      throw new InvalidConfigurationException(
          where + ": \"column\" must be a lower-case column name ([a-z_][a-z0-9_]{0,62})");
    }
    AttributeRule inherited = feeding(base, column);
    boolean required =
        entry.get("required") != null
            ? bool(entry, "required", where)
            : inherited != null && inherited.required();
    EpochUnit epochUnit = epochUnit(entry, where);
    return switch (treatment) {
      case KEEP -> {
        ValueType type = valueType(entry, inherited, where);
        if (epochUnit != null && type != ValueType.TIMESTAMP) {
          throw new InvalidConfigurationException(
              where + ": only type \"timestamp\" takes \"epochUnit\"");
        }
        yield new AttributeRule(
            attribute, treatment, column, null, null, epochUnit, null, type, required, null);
      }
      case PSEUDONYMISE -> {
        String namespace = entry.text("namespace");
        if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
          throw new InvalidConfigurationException(
              where + ": \"namespace\" is required and must match [a-z0-9_.-]{1,32}");
        }
        Normaliser normaliser = normaliser(entry, inherited, where);
        yield AttributeRule.pseudonymise(attribute, column, namespace, normaliser)
            .withRequired(required)
            .withRegion(region(entry, normaliser, inherited, where));
      }
      case GENERALISE_IP ->
          new AttributeRule(
              attribute,
              treatment,
              column,
              null,
              null,
              null,
              Classification.IDENTIFYING,
              null,
              required,
              null);
      case TRUNCATE, BUCKET, ALLOW_LIST ->
          new AttributeRule(
              attribute,
              treatment,
              column,
              null,
              null,
              epochUnit,
              Classification.QUASI_IDENTIFYING,
              null,
              required,
              generalisation(treatment, entry, where));
      case DROP, EXTRA -> throw new IllegalStateException("handled above");
    };
  }

  private static String allowedNote(Set<String> takes) {
    return takes.isEmpty() ? "" : " (it takes: " + String.join(", ", new TreeSet<>(takes)) + ")";
  }

  private static Generalisation generalisation(
      Treatment treatment, JsonValue.Obj entry, String where) {
    return switch (treatment) {
      case TRUNCATE -> {
        String unit = entry.text("unit");
        if (unit == null) {
          throw new InvalidConfigurationException(
              where + ": treatment \"truncate\" needs \"unit\" (day, month, quarter, year)");
        }
        yield new Generalisation.Truncate(
            Generalisation.CalendarUnit.byDocumentName(unit)
                .orElseThrow(
                    () ->
                        new InvalidConfigurationException(
                            where
                                + ": unknown unit \""
                                + unit
                                + "\" (day, month, quarter, year)")));
      }
      case BUCKET -> {
        JsonValue width = entry.get("width");
        int w = width instanceof JsonValue.Num n ? positiveInt(n.value()) : -1;
        if (w < 1) {
          throw new InvalidConfigurationException(
              where
                  + ": treatment \"bucket\" needs \"width\", a whole number from 1 to 1000000000");
        }
        String of = entry.text("of");
        if (of != null && !of.equals("number") && !of.equals("year")) {
          throw new InvalidConfigurationException(
              where + ": unknown \"of\" \"" + of + "\" (number, year)");
        }
        yield new Generalisation.Bucket(w, "year".equals(of));
      }
      case ALLOW_LIST -> {
        List<String> values = names(entry, "values", where);
        if (values == null || values.isEmpty()) {
          throw new InvalidConfigurationException(
              where + ": treatment \"allow-list\" needs \"values\", a non-empty array of strings");
        }
        JsonValue other = entry.get("other");
        if (other != null && !(other instanceof JsonValue.Str)) {
          throw new InvalidConfigurationException(where + ": \"other\" must be a string");
        }
        yield new Generalisation.AllowList(
            new LinkedHashSet<>(values), other == null ? null : other.text());
      }
      default -> throw new IllegalStateException("not a generalising treatment");
    };
  }

  private static int positiveInt(BigDecimal n) {
    try {
      int v = n.intValueExact();
      return v >= 1 && v <= 1_000_000_000 ? v : -1;
    } catch (ArithmeticException e) {
      return -1;
    }
  }

  private static boolean bool(JsonValue.Obj entry, String field, String where) {
    if (entry.get(field) instanceof JsonValue.Bool b) return b.value();
    throw new InvalidConfigurationException(where + ": \"" + field + "\" must be true or false");
  }

  /** As declared, else that of the built-in rule feeding the same column, else string. */
  private static ValueType valueType(JsonValue.Obj entry, AttributeRule inherited, String where) {
    String name = entry.text("type");
    if (name == null) {
      return inherited != null && inherited.treatment() == Treatment.KEEP
          ? inherited.type()
          : ValueType.STRING;
    }
    return ValueType.byDocumentName(name)
        .orElseThrow(
            () ->
                new InvalidConfigurationException(
                    where + ": unknown type \"" + name + "\" (" + ValueType.names() + ")"));
  }

  private static Normaliser normaliser(JsonValue.Obj entry, AttributeRule inherited, String where) {
    String normalise = entry.text("normalise");
    if (normalise == null) {
      return inherited != null && inherited.normaliser() != null
          ? inherited.normaliser()
          : Normaliser.TRIM;
    }
    return Normaliser.byDocumentName(normalise)
        .orElseThrow(
            () ->
                new InvalidConfigurationException(
                    where
                        + ": unknown normalise \""
                        + normalise
                        + "\" (trim, iban, email, phone, phone-e164)"));
  }

  /** {@code phone-e164}'s default region for national numbers: an ISO 3166-1 code it knows. */
  private static String region(
      JsonValue.Obj entry, Normaliser normaliser, AttributeRule inherited, String where) {
    String region = entry.text("region");
    if (region == null) {
      return normaliser == Normaliser.PHONE_E164 && inherited != null ? inherited.region() : null;
    }
    if (normaliser != Normaliser.PHONE_E164) {
      throw new InvalidConfigurationException(
          where + ": \"region\" applies to normalise \"phone-e164\" only");
    }
    if (!PhoneNumbers.regions().contains(region)) {
      throw new InvalidConfigurationException(
          where
              + ": \"region\" must be an ISO 3166-1 alpha-2 code such as \"DE\", was \""
              + region
              + "\"");
    }
    return region;
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

  /**
   * No column fed twice, and every column a built-in entry requires still fed: a document that
   * replaced or dropped the attribute feeding transaction_id would otherwise load and then
   * quarantine every record.
   */
  private static void checkColumns(Map<String, AttributeRule> rules, TableSpec base, String where) {
    Map<String, String> seen = new HashMap<>();
    for (AttributeRule r : rules.values()) {
      if (r.column() == null) continue;
      String previous = seen.put(r.column(), r.attribute());
      if (previous != null) throw twoFeed(where, r.column(), previous, r.attribute());
    }
    if (base == null) return;
    for (AttributeRule r : base.rules().values()) {
      boolean required = r.required() || base.keyAttributes().contains(r.attribute());
      if (r.column() != null && required && !seen.containsKey(r.column())) {
        throw new InvalidConfigurationException(
            where + ": required column " + r.column() + " is not fed by any attribute");
      }
    }
  }
}
