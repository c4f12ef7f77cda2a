package dev.ddbwarehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import me.tongfei.progressbar.ProgressBar;
import org.junit.jupiter.api.Test;

class ProgressTest {

  @Test
  void withoutATerminalItWritesPlainLinesWithoutCarriageReturns() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    try (ProgressBar bar = Progress.bar("copy", 10, "items", err, false)) {
      bar.stepTo(10);
    }

    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).doesNotContain("\r").contains("copy", "100%", "10/10");
    assertThat(out.lines()).isNotEmpty();
  }
}
