package dev.ddbwarehouse.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ShellcheckTest {

  private static final List<String> SCRIPTS =
      List.of(
          "scripts/one-time-setup.sh",
          "scripts/package.sh",
          "scripts/deploy.sh",
          "scripts/mapping.sh",
          "scripts/leak-scan.sh",
          "scripts/gdpr.sh",
          "scripts/lib/common.sh",
          "scripts/lib/local-runtime.sh",
          "compose/tests/run-tests.sh");

  @Test
  void scriptsAreShellcheckClean() throws Exception {
    assumeTrue(
        ScriptHarness.hasSystemTool("shellcheck"),
        "shellcheck is not installed (apt-get install shellcheck); the scripts are not linted in this run");
    List<String> command = new ArrayList<>(List.of("shellcheck", "--external-sources"));
    command.addAll(SCRIPTS);

    Process process =
        new ProcessBuilder(command)
            .directory(Repository.root().toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes());

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }

  @Test
  void scriptsAreStrictAndExecutable() throws IOException {
    for (String script : SCRIPTS) {
      var path = Repository.file(script);
      String text = java.nio.file.Files.readString(path);
      if (script.startsWith("scripts/lib/")) {
        assertThat(text).as(script + " is sourced, not run").startsWith("# shellcheck shell=bash");
        continue;
      }
      assertThat(text)
          .as(script)
          .startsWith("#!/usr/bin/env bash\n")
          .contains("\nset -euo pipefail\n");
      assertThat(path).as(script).isExecutable();
    }
  }
}
