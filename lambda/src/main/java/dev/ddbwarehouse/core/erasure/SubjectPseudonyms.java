package dev.ddbwarehouse.core.erasure;

import dev.ddbwarehouse.core.InvalidRequestException;
import dev.ddbwarehouse.core.policy.AttributeRule;
import dev.ddbwarehouse.core.policy.Treatment;
import dev.ddbwarehouse.core.pseudonym.KeyRing;
import dev.ddbwarehouse.core.pseudonym.Pseudonymiser;
import dev.ddbwarehouse.core.table.Mapping;
import dev.ddbwarehouse.core.table.TableSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A subject's pseudonyms under every key version of the ring: what its rows carry, whichever
 * version wrote them, and what the suppression list holds. The value is normalised as every rule of
 * the namespace normalises it (one namespace normally has one normaliser; two give two pseudonyms).
 *
 * @param byVersion key version to the subject's pseudonyms under it
 * @param tables the entries with a column in the namespace, with those columns
 */
public record SubjectPseudonyms(
    String namespace, Map<String, Set<String>> byVersion, Map<TableSpec, List<String>> tables) {

  public static SubjectPseudonyms of(
      Mapping mapping, KeyRing keys, String namespace, String rawValue) {
    Map<TableSpec, List<String>> tables = new LinkedHashMap<>();
    List<AttributeRule> normalisers = new ArrayList<>();
    Set<String> known = new TreeSet<>();
    for (TableSpec t : mapping.tables()) {
      for (AttributeRule r : t.columnRules()) {
        if (r.treatment() != Treatment.PSEUDONYMISE) continue;
        known.add(r.namespace());
        if (r.namespace().equals(namespace)) normalisers.add(r);
      }
      List<String> columns = t.columnsInNamespace(namespace);
      if (!columns.isEmpty()) tables.put(t, columns);
    }
    if (tables.isEmpty()) {
      throw new InvalidRequestException(
          "namespace "
              + namespace
              + " is used by no table of the mapping (namespaces: "
              + known
              + ")");
    }
    List<String> normalised = new ArrayList<>();
    for (AttributeRule n : normalisers) {
      String v = n.normalise(rawValue);
      if (!v.isEmpty() && !normalised.contains(v)) normalised.add(v);
    }
    if (normalised.isEmpty()) {
      throw new InvalidRequestException(
          "value is empty once normalised for namespace " + namespace);
    }
    Map<String, Set<String>> byVersion = new LinkedHashMap<>();
    for (String version : new TreeSet<>(keys.versions())) {
      Pseudonymiser p = new Pseudonymiser(keys, version);
      Set<String> pseudonyms = new LinkedHashSet<>();
      for (String v : normalised) pseudonyms.add(p.pseudonym(namespace, v));
      byVersion.put(version, pseudonyms);
    }
    return new SubjectPseudonyms(namespace, byVersion, tables);
  }

  /** Every pseudonym of the subject, all versions together. */
  public List<String> all() {
    List<String> out = new ArrayList<>();
    byVersion.values().forEach(out::addAll);
    return out;
  }

  @Override
  public String toString() {
    return "SubjectPseudonyms[namespace=" + namespace + ", versions=" + byVersion.keySet() + "]";
  }
}
