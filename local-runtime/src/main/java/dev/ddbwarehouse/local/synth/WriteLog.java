package dev.ddbwarehouse.local.synth;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the workload wrote, kept independently of the pipeline: when each item was written (to
 * measure write-to-commit lag) and every identifying value (for the leak check). Records of one key
 * reach the poller in write order, so a FIFO per key pairs each stream record with its write.
 * Thread-safe: the writer and the poller run on different threads.
 */
public final class WriteLog {

  private final Map<String, Deque<Long>> writesByKey = new HashMap<>();
  private final Set<String> identifyingValues = new HashSet<>();
  private long writes;

  public synchronized void written(String key, long nanoTime) {
    writesByKey.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(nanoTime);
    writes++;
  }

  public synchronized void identifying(Collection<String> values) {
    identifyingValues.addAll(values);
  }

  /** The write time of the oldest not yet matched write of this key, or -1 if none is left. */
  public synchronized long takeWrite(String key) {
    Deque<Long> times = writesByKey.get(key);
    if (times == null || times.isEmpty()) {
      return -1;
    }
    long time = times.pollFirst();
    if (times.isEmpty()) {
      writesByKey.remove(key);
    }
    return time;
  }

  /** Writes that changed an item, i.e. stream records to expect. */
  public synchronized long writes() {
    return writes;
  }

  public synchronized List<String> identifyingValues() {
    return List.copyOf(identifyingValues);
  }
}
