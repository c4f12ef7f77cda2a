package dev.ddbwarehouse.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ddbwarehouse.core.ErrorCode;
import dev.ddbwarehouse.core.change.Change;
import dev.ddbwarehouse.core.change.ChangeMapper;
import dev.ddbwarehouse.core.change.IncomingRecord;
import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.core.pipeline.BatchOutcome;
import dev.ddbwarehouse.core.pipeline.BatchProcessor;
import dev.ddbwarehouse.core.pipeline.BatchReport;
import dev.ddbwarehouse.core.pipeline.UnreadableEventException;
import dev.ddbwarehouse.core.pipeline.WriteBatch;
import dev.ddbwarehouse.core.policy.MappingDocument;
import dev.ddbwarehouse.core.pseudonym.KeyRing;
import dev.ddbwarehouse.core.pseudonym.Pseudonymiser;
import dev.ddbwarehouse.testing.FuzzedEvents;
import dev.ddbwarehouse.testing.StreamEvents;
import dev.ddbwarehouse.testing.TestKeys;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of everything that reads a stream event: the function's event reader (its
 * record count checked against the runtime's serialiser's), the change mapper and the batch logic,
 * with a recording sink instead of a database. Whatever the event holds, nothing may throw, every
 * record must be counted exactly once, and no quarantine entry may quote a value. {@code ./mvnw
 * verify} fuzzes for a short while (the "fuzz" execution in lambda/pom.xml); the unit-test run
 * replays the inputs under {@code EventReaderFuzzTestInputs/}.
 */
class EventReaderFuzzTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-01T00:10:00Z"), ZoneOffset.UTC);

  private static final ChangeMapper CHANGES =
      new ChangeMapper(
          MappingDocument.defaults(),
          new Pseudonymiser(KeyRing.parse(TestKeys.SECRET_JSON, "fuzz")),
          CLOCK);

  @FuzzTest(maxDuration = "25s")
  void anyEventIsReadWithoutThrowingAndEveryRecordIsCountedOnceWithoutQuotingData(
      FuzzedDataProvider data) {
    byte[] json = FuzzedEvents.json(data).getBytes(StandardCharsets.UTF_8);
    DynamodbEvent event;
    try {
      event = StreamEvents.parse(new ByteArrayInputStream(json));
    } catch (RuntimeException unreadableEnvelope) {
      event = null; // the runtime's serialiser refuses it: the function's reader may too
    }
    List<IncomingRecord> records;
    try {
      records = StreamEventReader.readAll(json);
    } catch (UnreadableEventException e) {
      // Stricter than the serialiser on purpose (Records given twice, content after the event):
      // the invocation fails, nothing is committed, Lambda delivers it again.
      return;
    }
    if (event == null) return; // read by the function, not by the reference: nothing to compare
    List<Change> changes = records.stream().map(CHANGES::map).toList();
    List<WriteBatch> written = new ArrayList<>();
    List<BatchReport> reports = new ArrayList<>();
    BatchObserver observer = reports::add;
    BatchOutcome outcome =
        new BatchProcessor(CHANGES, written::add, CLOCK, observer).process(records);

    int recordsIn = event == null || event.getRecords() == null ? 0 : event.getRecords().size();
    BatchReport report = outcome.report();
    assertThat(records).hasSize(recordsIn);
    assertThat(reports).containsExactly(report);
    assertThat(report.recordsIn()).isEqualTo(recordsIn);
    assertThat(report.upserted() + report.deleted() + report.ignored() + report.quarantined())
        .isEqualTo(recordsIn);
    assertThat(outcome.firstNotCommitted()).as("the recording sink never fails").isEmpty();
    assertThat(outcome.quarantined()).hasSize(report.quarantined());
    for (Change change : changes) {
      if (change instanceof Change.Quarantine q) {
        assertThat(q.problem().code())
            .as("a defect, not bad input: %s", q.problem().getMessage())
            .isNotEqualTo(ErrorCode.INTERNAL_ERROR);
      }
    }
    for (WriteBatch batch : written) {
      for (Change.Quarantine q : batch.quarantine()) {
        assertThat(q.problem().getMessage()).doesNotContain(FuzzedEvents.CANARY);
        assertThat(String.valueOf(q.problem().attribute())).doesNotContain(FuzzedEvents.CANARY);
      }
    }
  }
}
