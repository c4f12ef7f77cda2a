package dev.ddbwarehouse.lambda;

import static dev.ddbwarehouse.core.ErrorCode.INVALID_COUNTRY;
import static dev.ddbwarehouse.core.ErrorCode.INVALID_CURRENCY;
import static dev.ddbwarehouse.core.ErrorCode.INVALID_RECORD_METADATA;
import static dev.ddbwarehouse.core.ErrorCode.MISSING_ATTRIBUTE;
import static dev.ddbwarehouse.core.ErrorCode.UNKNOWN_EVENT_NAME;
import static dev.ddbwarehouse.core.ErrorCode.UNPARSABLE_IMAGE;
import static dev.ddbwarehouse.lambda.HostileCases.quarantined;
import static dev.ddbwarehouse.lambda.HostileCases.written;

import dev.ddbwarehouse.testing.HostileCorpus;
import dev.ddbwarehouse.testing.HostileCorpus.Deleted;
import dev.ddbwarehouse.testing.HostileCorpus.Ignored;
import dev.ddbwarehouse.testing.HostileCorpus.Outcome;
import dev.ddbwarehouse.testing.HostileCorpus.Superseded;
import dev.ddbwarehouse.testing.StreamEvents;
import dev.ddbwarehouse.testing.TransactionItem;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Hostile stream records: odd metadata, every kind of remove, and one key changed several times in
 * one batch.
 */
final class HostileStreamCases {

  private HostileStreamCases() {}

  /** The first batch: valid seed transactions for the corpus's removes. */
  static void seeds(HostileCases h) {
    for (int n = 1; n <= HostileCases.SEEDS; n++) {
      TransactionItem item = h.item(seed(n));
      h.corpus.add("seed " + n, seed(n), written(), e -> e.insert(item));
    }
  }

  static String seed(int n) {
    return "seed-" + n;
  }

  static void addAll(HostileCases h) {
    metadata(h);
    removes(h);
    duplicates(h);
  }

  private static void metadata(HostileCases h) {
    String eventId = "event-" + h.corpus.nextSequence();
    odd(
            h,
            "no SequenceNumber",
            quarantined(INVALID_RECORD_METADATA, null),
            (e, seq) -> e.withStreamRecordField("SequenceNumber", null))
        .storedAs(eventId, "");
    for (String seq : List.of("12a", "-1", "1".repeat(41), "", " 123", "1e5")) {
      String id = "event-" + h.corpus.nextSequence();
      odd(
              h,
              "SequenceNumber " + seq,
              quarantined(INVALID_RECORD_METADATA, null),
              (e, s) -> e.withStreamRecordField("SequenceNumber", seq))
          .storedAs(id, seq);
    }
    String longest = "9".repeat(40);
    String id40 = "event-" + h.corpus.nextSequence();
    odd(
            h,
            "40-digit SequenceNumber",
            written(),
            (e, s) -> e.withStreamRecordField("SequenceNumber", longest))
        .storedAs(id40, longest);
    for (String name : Arrays.asList("UPSERT", "insert", "", "INSERT ", "REMOVE\u0000", null)) {
      odd(
          h,
          "eventName " + name,
          quarantined(UNKNOWN_EVENT_NAME, null),
          (e, s) -> e.withField("eventName", name));
    }
    odd(
        h,
        "no eventName",
        quarantined(UNKNOWN_EVENT_NAME, null),
        (e, s) -> e.withoutField("eventName"));
    odd(
        h,
        "control characters in eventID",
        written(),
        (e, s) -> e.withField("eventID", "ev\u0007\u001b[2Jx"));
    String seqText = StreamEvents.sequence(h.corpus.nextSequence());
    poison(
            h,
            "control characters in eventID of a poison record",
            (e, s) -> e.withField("eventID", "ev\u0007\u001b[2Jx"))
        .storedAs("ev??[2Jx", seqText);
    seqText = StreamEvents.sequence(h.corpus.nextSequence());
    poison(h, "10,000-character eventID", (e, s) -> e.withField("eventID", "e".repeat(10_000)))
        .storedAs("e".repeat(253) + "...", seqText);
    seqText = StreamEvents.sequence(h.corpus.nextSequence());
    poison(h, "no eventID", (e, s) -> e.withoutField("eventID")).storedAs("", seqText);
    // Without an ARN the record names no source table: it cannot be routed to an entry.
    odd(
        h,
        "no eventSourceARN",
        quarantined(INVALID_RECORD_METADATA, null),
        (e, s) -> e.withoutField("eventSourceARN"));
    odd(
        h,
        "control characters in eventSourceARN",
        written(),
        (e, s) -> e.withField("eventSourceARN", StreamEvents.STREAM_ARN + "\n\u001b"));
    odd(
        h,
        "unknown top-level field",
        written(),
        (e, s) -> e.withField("surprise", Map.of("S", h.values.canary("top"))));
    odd(
        h,
        "ApproximateCreationDateTime in milliseconds",
        written(),
        (e, s) ->
            e.withStreamRecordField(
                "ApproximateCreationDateTime", StreamEvents.approximateCreation(s).toEpochMilli()));
    String noSection = "event-" + h.corpus.nextSequence();
    odd(
            h,
            "no dynamodb section",
            quarantined(UNPARSABLE_IMAGE, null),
            (e, s) -> e.withoutField("dynamodb"))
        .storedAs(noSection, "");
    h.corpus.nullRecord();
  }

  /** An INSERT of a valid item whose record is then made odd. */
  private static HostileCorpus odd(
      HostileCases h, String note, Outcome expected, BiConsumer<StreamEvents, Long> change) {
    String id = h.id("odd");
    TransactionItem item = h.item(id);
    long seq = h.corpus.nextSequence();
    return h.corpus.add(note, id, expected, e -> change.accept(e.insert(item), seq));
  }

  /** An INSERT with an invalid currency whose record is then made odd. */
  private static HostileCorpus poison(
      HostileCases h, String note, BiConsumer<StreamEvents, Long> change) {
    String id = h.id("poison");
    TransactionItem item = h.item(id).s("currency", h.values.canary("cur"));
    long seq = h.corpus.nextSequence();
    return h.corpus.add(
        note,
        id,
        quarantined(INVALID_CURRENCY, "currency"),
        e -> change.accept(e.insert(item), seq));
  }

  private static void removes(HostileCases h) {
    Outcome deleted = new Deleted();
    remove(h, "REMOVE with old image", seed(1), deleted, (e, i) -> e.remove(i));
    remove(h, "keys-only REMOVE", seed(2), deleted, (e, i) -> e.removeKeysOnly(i));
    remove(h, "TTL REMOVE", seed(3), new Ignored(), (e, i) -> e.ttlRemove(i));
    remove(
        h,
        "keys-only TTL REMOVE",
        seed(4),
        new Ignored(),
        (e, i) -> e.add("REMOVE", i.keys(), null, null, true));
    remove(
        h,
        "keys-only REMOVE without ApproximateCreationDateTime",
        seed(5),
        deleted,
        (e, i) -> e.removeKeysOnly(i).withStreamRecordField("ApproximateCreationDateTime", null));
    remove(
        h,
        "REMOVE by a service that is not TTL",
        seed(6),
        deleted,
        (e, i) ->
            e.removeKeysOnly(i)
                .withField(
                    "userIdentity", Map.of("type", "Service", "principalId", "ops.example")));
    remove(
        h,
        "REMOVE whose old image is invalid",
        seed(7),
        deleted,
        (e, i) -> e.remove(i.s("currency", h.values.canary("cur")).s("updatedAt", "never")));
    remove(
        h,
        "REMOVE with the id only in the old image",
        seed(8),
        deleted,
        (e, i) -> e.add("REMOVE", Map.of(), null, i.attributes(), false));
    remove(
        h,
        "MODIFY of a seed",
        seed(9),
        written(Map.of("status", "SETTLED")),
        (e, i) -> e.modify(i, i.copy().s("status", "SETTLED")));
    remove(
        h,
        "REMOVE whose old image is unparsable",
        seed(10),
        quarantined(UNPARSABLE_IMAGE, "blob"),
        (e, i) -> e.remove(i.put("blob", Map.of())));
    remove(
        h,
        "keys-only REMOVE of an unknown id",
        h.id("ghost"),
        deleted,
        (e, i) -> e.removeKeysOnly(i));
    remove(
        h,
        "REMOVE without keys or images",
        null,
        quarantined(MISSING_ATTRIBUTE, "transactionId"),
        (e, i) -> e.add("REMOVE", Map.of(), null, null, false));
    remove(
        h,
        "REMOVE with a numeric key",
        null,
        quarantined(MISSING_ATTRIBUTE, "transactionId"),
        (e, i) -> e.add("REMOVE", Map.of("transactionId", Map.of("N", "7")), null, null, false));
  }

  private static void remove(
      HostileCases h,
      String note,
      String id,
      Outcome expected,
      BiConsumer<StreamEvents, TransactionItem> add) {
    TransactionItem item = h.item(id == null ? "unused" : id);
    h.corpus.add(note, id, expected, e -> add.accept(e, item));
  }

  private static void duplicates(HostileCases h) {
    String a = h.id("dup-stream-order");
    TransactionItem first = h.item(a);
    h.corpus.add("dup INSERT", a, new Superseded(), e -> e.insert(first));
    TransactionItem second = h.item(a).s("status", "SETTLED");
    h.corpus.add("dup MODIFY", a, new Superseded(), e -> e.modify(first, second));
    // Older than the first image by the item's own clock; stream order still makes it the last.
    Instant firstSeen = StreamEvents.approximateCreation(h.corpus.nextSequence() - 2);
    TransactionItem older =
        h.item(a)
            .s("status", "REVERSED")
            .s("createdAt", firstSeen.minusSeconds(60).toString())
            .s("updatedAt", firstSeen.minusSeconds(30).toString());
    h.corpus.add(
        "dup MODIFY with an older updatedAt",
        a,
        written(Map.of("status", "REVERSED")),
        e -> e.modify(second, older));

    String b = h.id("dup-then-removed");
    TransactionItem bItem = h.item(b);
    h.corpus.add("dup INSERT then REMOVE", b, new Superseded(), e -> e.insert(bItem));
    h.corpus.add("dup REMOVE after INSERT", b, new Deleted(), e -> e.remove(bItem));

    String c = h.id("dup-reinserted");
    TransactionItem cItem = h.item(c);
    h.corpus.add("dup INSERT, REMOVE, INSERT", c, new Superseded(), e -> e.insert(cItem));
    h.corpus.add(
        "dup keys-only REMOVE between INSERTs", c, new Superseded(), e -> e.removeKeysOnly(cItem));
    TransactionItem again = h.item(c).s("status", "AGAIN");
    h.corpus.add(
        "dup INSERT after REMOVE", c, written(Map.of("status", "AGAIN")), e -> e.insert(again));

    String d = h.id("dup-ttl");
    TransactionItem dItem = h.item(d);
    h.corpus.add("dup INSERT then TTL REMOVE", d, written(), e -> e.insert(dItem));
    h.corpus.add("dup TTL REMOVE after INSERT", d, new Ignored(), e -> e.ttlRemove(dItem));

    String f = h.id("dup-poison-modify");
    TransactionItem fItem = h.item(f);
    h.corpus.add("dup valid INSERT", f, written(), e -> e.insert(fItem));
    TransactionItem bad = h.item(f).s("currency", h.values.canary("cur"));
    h.corpus.add(
        "dup poison MODIFY",
        f,
        quarantined(INVALID_CURRENCY, "currency"),
        e -> e.modify(fItem, bad));

    String g = h.id("dup-poison-twice");
    TransactionItem gItem = h.item(g).s("country", h.values.canary("cty"));
    h.corpus.add("poison record", g, quarantined(INVALID_COUNTRY, "country"), e -> e.insert(gItem));
    h.corpus.repeatLast("the same poison record redelivered in the batch");

    String k = h.id("dup-valid-twice");
    TransactionItem kItem = h.item(k);
    h.corpus.add("valid record", k, written(), e -> e.insert(kItem));
    h.corpus.repeatLast("the same valid record redelivered in the batch");

    String m = h.id("dup-removed-first");
    TransactionItem mItem = h.item(m);
    h.corpus.add(
        "dup keys-only REMOVE before any image", m, new Superseded(), e -> e.removeKeysOnly(mItem));
    TransactionItem mLater = h.item(m);
    h.corpus.add("dup INSERT after the REMOVE", m, written(), e -> e.insert(mLater));
  }
}
