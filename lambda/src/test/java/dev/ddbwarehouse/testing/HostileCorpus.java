package dev.ddbwarehouse.testing;

import dev.ddbwarehouse.core.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A batch of stream records, each registered with the outcome the pipeline must give it. The
 * expectation is written down by whoever adds the record, from the record alone, never from what
 * the pipeline did.
 */
public final class HostileCorpus {

  /** What one record must leave behind. */
  public sealed interface Outcome {
    /** How the outcome reads in a comparison; the actual side renders the same way. */
    String describe();
  }

  /** The row holds this record's image, with these column values (as PostgreSQL text). */
  public record Written(Map<String, String> columns) implements Outcome {
    public Written {
      columns = new TreeMap<>(columns);
    }

    @Override
    public String describe() {
      return "written " + columns;
    }
  }

  /** The row is soft-deleted (or a tombstone) by this record. */
  public record Deleted() implements Outcome {
    @Override
    public String describe() {
      return "deleted";
    }
  }

  /** Counted as ignored (a TTL expiry under the default policy): no trace anywhere. */
  public record Ignored() implements Outcome {
    @Override
    public String describe() {
      return "no trace";
    }
  }

  /** A later record of the batch for the same key wins: no trace of this one. */
  public record Superseded() implements Outcome {
    @Override
    public String describe() {
      return "no trace";
    }
  }

  public record Quarantined(ErrorCode code, String attribute) implements Outcome {
    @Override
    public String describe() {
      return "quarantined " + code + " " + attribute;
    }
  }

  /**
   * One record of the batch and where its trace is found.
   *
   * @param storedEventId event_id as the quarantine stores it (sanitised)
   * @param storedSequence sequence_number as the quarantine stores it, and the row's
   *     source_sequence for written records
   * @param transactionId the row a written or deleted record lands in
   */
  public record Entry(
      String note,
      String storedEventId,
      String storedSequence,
      String transactionId,
      Outcome expected) {

    public String describe(Outcome outcome) {
      return storedSequence + " " + note + ": " + outcome.describe();
    }
  }

  private final StreamEvents events;
  private final List<Entry> entries = new ArrayList<>();
  private long next;

  public HostileCorpus(long firstSequence) {
    this.events = StreamEvents.startingAt(firstSequence);
    this.next = firstSequence;
  }

  /** The sequence number the next record added through {@link StreamEvents} gets. */
  public long nextSequence() {
    return next;
  }

  /** Adds one record through {@code add} (which must add exactly one) with its expected outcome. */
  public HostileCorpus add(
      String note, String transactionId, Outcome expected, Consumer<StreamEvents> add) {
    long seq = next++;
    add.accept(events);
    entries.add(
        new Entry(note, "event-" + seq, StreamEvents.sequence(seq), transactionId, expected));
    return this;
  }

  /** Changes where the last record's trace is found, after its metadata was made odd. */
  public HostileCorpus storedAs(String eventId, String sequence) {
    Entry last = entries.remove(entries.size() - 1);
    entries.add(new Entry(last.note(), eventId, sequence, last.transactionId(), last.expected()));
    return this;
  }

  /** A {@code "Records":[null]} member: no metadata at all. */
  public HostileCorpus nullRecord() {
    events.nullRecord();
    entries.add(
        new Entry("null record", "", "", null, new Quarantined(ErrorCode.UNPARSABLE_IMAGE, null)));
    return this;
  }

  /** The last record again, verbatim: it must leave the same trace as the first delivery. */
  public HostileCorpus repeatLast(String note) {
    Entry last = entries.get(entries.size() - 1);
    events.repeatLast();
    entries.add(
        new Entry(
            note,
            last.storedEventId(),
            last.storedSequence(),
            last.transactionId(),
            last.expected()));
    return this;
  }

  public StreamEvents events() {
    return events;
  }

  public List<Entry> entries() {
    return List.copyOf(entries);
  }
}
