package dev.ddbwarehouse.local.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code bench.sh --pin}: PostgreSQL on core 0, the benchmark JVM on core 1, so neither steals the
 * other's CPU (as with a database on its own host). Linux only, through {@code taskset}: the JVM
 * pins all its threads (threads started later inherit it), the postmaster and its current backends
 * are moved to core 0, and the backends it forks later inherit that.
 */
public final class CorePinning {

  private CorePinning() {}

  /**
   * Pins, or says why it cannot: fewer than two cores, no taskset, or a database this machine does
   * not run (its postmaster is not a local process).
   *
   * @return a line for the bench's output
   */
  public static String pin(Connection admin)
      throws SQLException, IOException, InterruptedException {
    if (Runtime.getRuntime().availableProcessors() < 2) {
      return "pinning: skipped (fewer than 2 cores)";
    }
    if (!hasTaskset()) return "pinning: skipped (taskset not found)";
    long backend;
    try (Statement s = admin.createStatement();
        ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
      r.next();
      backend = r.getLong(1);
    }
    Optional<Long> postmaster = parent(backend);
    if (postmaster.isEmpty()) {
      return "pinning: skipped (the database's processes are not on this machine)";
    }
    taskset(ProcessHandle.current().pid(), "1");
    List<Long> pg = new ArrayList<>(List.of(postmaster.get()));
    pg.addAll(children(postmaster.get()));
    for (long pid : pg) taskset(pid, "0");
    return "pinning: PostgreSQL (postmaster "
        + postmaster.get()
        + " and "
        + (pg.size() - 1)
        + " backends) on core 0, the benchmark JVM on core 1 (taskset)";
  }

  /**
   * The machine's cores as the kernel lists them ("0-1"); a pinned JVM counts only its own in
   * availableProcessors, so that cannot say.
   */
  private static String onlineCores() throws IOException {
    java.nio.file.Path online = java.nio.file.Path.of("/sys/devices/system/cpu/online");
    if (java.nio.file.Files.isReadable(online))
      return java.nio.file.Files.readString(online).strip();
    return "0-" + (Runtime.getRuntime().availableProcessors() - 1);
  }

  /** Lets this JVM's threads run on every core again (tests that pinned it; the cold starts). */
  public static void unpin() throws IOException, InterruptedException {
    if (!hasTaskset()) return;
    taskset(ProcessHandle.current().pid(), onlineCores());
  }

  private static boolean hasTaskset() {
    try {
      return new ProcessBuilder("taskset", "--version").redirectErrorStream(true).start().waitFor()
          == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static void taskset(long pid, String core) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("taskset", "-a", "-p", "-c", core, Long.toString(pid))
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException("taskset -a -p -c " + core + " " + pid + " failed: " + output.strip());
    }
  }

  /** The parent of a local process, from /proc; empty when the process is not on this machine. */
  static Optional<Long> parent(long pid) {
    try {
      return Optional.of(ppid(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static List<Long> children(long parent) throws IOException {
    List<Long> out = new ArrayList<>();
    try (var dirs = Files.list(Path.of("/proc"))) {
      for (Path dir : dirs.toList()) {
        String name = dir.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) continue;
        try {
          if (ppid(Files.readString(dir.resolve("stat"))) == parent) out.add(Long.parseLong(name));
        } catch (IOException | RuntimeException gone) {
          // The process ended while we looked.
        }
      }
    }
    return out;
  }

  /** Field 4 of /proc/PID/stat; the command name (field 2) may contain spaces and parentheses. */
  static long ppid(String stat) {
    String rest = stat.substring(stat.lastIndexOf(')') + 2);
    return Long.parseLong(rest.split(" ")[1]);
  }
}
