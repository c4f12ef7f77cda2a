package dev.ddbwarehouse.lambda;

import dev.ddbwarehouse.core.ErrorCode;
import dev.ddbwarehouse.testing.HostileCorpus;
import dev.ddbwarehouse.testing.HostileCorpus.Outcome;
import dev.ddbwarehouse.testing.HostileCorpus.Quarantined;
import dev.ddbwarehouse.testing.HostileCorpus.Written;
import dev.ddbwarehouse.testing.HostileValues;
import dev.ddbwarehouse.testing.StreamEvents;
import dev.ddbwarehouse.testing.TransactionItem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The vocabulary the hostile corpus is written in: the base item every case starts from (valid,
 * with canaries in every identifying attribute) and the raw values the canary search looks for.
 */
final class HostileCases {

  /** Seed transactions written by a first batch, for the corpus's deletes to find. */
  static final int SEEDS = 10;

  final HostileValues values;
  final HostileCorpus corpus;

  /** Raw identifying values that carry no marker (IP addresses, phone digits). */
  final List<String> unmarkedCanaries;

  private int ids;

  HostileCases(HostileValues values, HostileCorpus corpus, List<String> unmarkedCanaries) {
    this.values = values;
    this.corpus = corpus;
    this.unmarkedCanaries = unmarkedCanaries;
  }

  /** The same values and canary list, for another batch. */
  HostileCases forBatch(HostileCorpus other) {
    HostileCases cases = new HostileCases(values, other, unmarkedCanaries);
    cases.ids = ids;
    return cases;
  }

  /** A fresh transaction id (plain ASCII: ids are stored as they are, so never canaries). */
  String id(String slug) {
    return "hc-" + (++ids) + "-" + slug;
  }

  /**
   * A valid item for the next record: canaries in every identifying and dropped attribute,
   * timestamps just before the record's ApproximateCreationDateTime.
   */
  TransactionItem item(String id) {
    Instant approximate = StreamEvents.approximateCreation(corpus.nextSequence());
    String ip = values.ipv4();
    String phone = values.phone();
    unmarkedCanaries.add(ip);
    unmarkedCanaries.add(phone);
    unmarkedCanaries.add(phone.replaceAll("[^0-9]", ""));
    return TransactionItem.of(id)
        .s("userId", values.canary("user"))
        .s("accountId", values.canary("acct"))
        .s("counterpartyIban", values.canary("iban"))
        .s("email", values.canary("mail") + "@example.test")
        .s("phone", phone)
        .s("ipAddress", ip)
        .s("counterpartyName", values.canary("name"))
        .put("metadata", Map.of("M", Map.of("note", Map.of("S", values.canary("meta")))))
        .s("createdAt", approximate.minusSeconds(60).toString())
        .s("updatedAt", approximate.minusSeconds(1).toString());
  }

  static Written written() {
    return written(Map.of());
  }

  /** Written with the default amount and currency, plus these column values. */
  static Written written(Map<String, String> columns) {
    Map<String, String> all = new HashMap<>(Map.of("amount", "12.50", "currency", "EUR"));
    all.putAll(columns);
    return new Written(all);
  }

  static Quarantined quarantined(ErrorCode code, String attribute) {
    return new Quarantined(code, attribute);
  }

  /** An INSERT of the base item changed by {@code change}. */
  void insert(String note, Outcome expected, UnaryOperator<TransactionItem> change) {
    String slug = note.replaceAll("(?i)cnry", "marker").replaceAll("[^A-Za-z0-9]+", "-");
    String id = id(slug.substring(0, Math.min(slug.length(), 40)));
    TransactionItem item = change.apply(item(id));
    corpus.add(note, id, expected, e -> e.insert(item));
  }

  /** One INSERT per value, with {@code attribute} set to it as an S. */
  void eachString(String attribute, List<String> texts, ErrorCode code) {
    for (String text : texts) {
      insert(
          attribute + " " + printable(text),
          quarantined(code, attribute),
          i -> i.s(attribute, text));
    }
  }

  /** One INSERT per value, with {@code attribute} set to it as an N. */
  void eachNumber(String attribute, List<String> numbers, ErrorCode code) {
    for (String n : numbers) {
      insert(
          attribute + " N " + printable(n), quarantined(code, attribute), i -> i.n(attribute, n));
    }
  }

  static String printable(String text) {
    return text.codePoints()
        .collect(
            StringBuilder::new,
            (b, cp) -> {
              if (cp >= 0x20 && cp < 0x7f) b.appendCodePoint(cp);
              else b.append(String.format("\\u%04x", cp));
            },
            StringBuilder::append)
        .toString();
  }

  static List<String> list(String... items) {
    return new ArrayList<>(List.of(items));
  }
}
