package dev.ddbwarehouse.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ddbwarehouse.local.bench.CorePinning;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short bench run end to end: its figures, the suppression list and core pinning. */
class BenchRunIT {

  @AfterEach
  void unpin() throws Exception {
    CorePinning.unpin(); // this JVM runs the other tests too
  }

  @Test
  void printsTheRatioTheJvmCpuPerRecordAndPinsWhereItCan(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("hmac.json");
    Files.writeString(
        key,
        "{\"active\":\"v1\",\"keys\":{\"v1\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\"}}");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code =
        Bench.run(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            "--records",
            "300",
            "--batch-sizes",
            "100",
            "--rounds",
            "1",
            "--warmup-records",
            "0",
            "--cold-start-runs",
            "0",
            "--suppressed-subjects",
            "1000",
            "--hmac-secret-file",
            key.toString(),
            "--pin");

    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(text)
        .contains("suppression_list_subjects=1000")
        .containsPattern("pipeline_records_per_s=\\d+ copy_records_per_s=\\d+ ratio=\\d")
        .containsPattern("jvm_cpu_us_per_record=\\d+\\.\\d");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .as("each round says where the JVM's CPU went")
        .containsPattern(
            "jvm: \\d+\\.\\d µs CPU per record, \\d+\\.\\d of it the handler's thread; JIT \\d+ ms,"
                + " GC \\d+ ms");
    assertThat(text)
        .containsPattern(
            "pinning: (PostgreSQL \\(postmaster \\d+ and \\d+ backends\\) on core 0|skipped)");
    assumeTrue(text.contains("on core 0"), "pinning skipped on this machine");
    assertThat(Files.readAllLines(Path.of("/proc/self/status")))
        .as("every thread of this JVM was pinned to core 1")
        .contains("Cpus_allowed_list:\t1");
  }
}
