package dev.ddbwarehouse.local.warehouse;

import dev.ddbwarehouse.core.policy.AttributeRule;
import dev.ddbwarehouse.core.policy.Normaliser;
import dev.ddbwarehouse.core.policy.Treatment;
import dev.ddbwarehouse.core.pseudonym.KeyRing;
import dev.ddbwarehouse.core.pseudonym.Pseudonymiser;
import dev.ddbwarehouse.core.table.TableSpec;
import dev.ddbwarehouse.privacyscan.KnownValues;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The values the PII scanner looks for, in the forms the pipeline's own normalisers ({@link
 * Normaliser}) give them: from sampled source items, every attribute the mapping entry
 * pseudonymises or drops (nested maps and lists by their leaves), and from a file of values. With
 * the key ring, also the pseudonyms the sampled values should have in the warehouse, to tell
 * whether the sample reached it at all.
 */
public final class IdentifyingValues {

  private static final Pattern IBAN_SHAPE =
      Pattern.compile("\\s*[A-Za-z]{2}\\d{2}[A-Za-z0-9 ]+\\s*");
  private static final Pattern PHONE_SHAPE = Pattern.compile("\\s*\\(?(\\+|0)[0-9 ()/.-]{6,}\\s*");

  private final KnownValues.Builder known = KnownValues.builder();
  private final Set<String> pseudonyms = new HashSet<>();
  private final List<Pseudonymiser> keyVersions = new ArrayList<>();

  /**
   * @param keys the warehouse's key ring, or null when the expected pseudonyms are not wanted
   */
  public IdentifyingValues(KeyRing keys) {
    if (keys != null) {
      for (String version : keys.versions()) keyVersions.add(new Pseudonymiser(keys, version));
    }
  }

  /** The rules of {@code spec} whose values must never be in the warehouse in clear. */
  public static List<AttributeRule> searchedRules(TableSpec spec) {
    return spec.rules().values().stream()
        .filter(r -> r.treatment() == Treatment.PSEUDONYMISE || r.treatment() == Treatment.DROP)
        .toList();
  }

  /** One sampled item: the values of every searched attribute it has. */
  public void addItem(Map<String, AttributeValue> item, List<AttributeRule> rules) {
    for (AttributeRule rule : rules) {
      AttributeValue value = item.get(rule.attribute());
      if (value == null) continue;
      List<String> leaves = new ArrayList<>();
      leaves(value, leaves);
      for (String leaf : leaves) add(leaf, rule);
    }
  }

  private void add(String raw, AttributeRule rule) {
    List<String> forms = new ArrayList<>(List.of(Normaliser.TRIM.apply(raw), lower(raw)));
    if (rule.normaliser() != null) {
      String normalised = rule.normalise(raw);
      forms.add(normalised);
      if (!normalised.isEmpty()) {
        for (Pseudonymiser p : keyVersions)
          pseudonyms.add(p.pseudonym(rule.namespace(), normalised));
      }
    }
    known.add(raw, forms);
  }

  /**
   * One line of a values file: it has no rule, so each normaliser whose kind the value looks like
   * (a phone normaliser on a name would leave a few digits that match anywhere).
   */
  public void addValue(String raw) {
    List<String> forms = new ArrayList<>(List.of(Normaliser.TRIM.apply(raw), lower(raw)));
    if (raw.indexOf('@') > 0) forms.add(Normaliser.EMAIL.apply(raw));
    if (IBAN_SHAPE.matcher(raw).matches()) forms.add(Normaliser.IBAN.apply(raw));
    if (PHONE_SHAPE.matcher(raw).matches()) forms.add(Normaliser.PHONE.apply(raw));
    known.add(raw, forms);
  }

  public KnownValues knownValues() {
    return known.build();
  }

  /** The pseudonyms the sampled values have under every key version (empty without a key ring). */
  public Set<String> expectedPseudonyms() {
    return Set.copyOf(pseudonyms);
  }

  private static String lower(String raw) {
    return raw.toLowerCase(Locale.ROOT);
  }

  private static void leaves(AttributeValue value, List<String> out) {
    if (value.s() != null) out.add(value.s());
    if (value.n() != null) out.add(value.n());
    if (value.hasSs()) out.addAll(value.ss());
    if (value.hasNs()) out.addAll(value.ns());
    if (value.hasL()) value.l().forEach(v -> leaves(v, out));
    if (value.hasM()) value.m().values().forEach(v -> leaves(v, out));
  }
}
