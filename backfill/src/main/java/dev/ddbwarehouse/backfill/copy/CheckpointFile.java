package dev.ddbwarehouse.backfill.copy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarehouse.backfill.BackfillException.Refused;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The copy's checkpoint: per scan segment, the LastEvaluatedKey up to which every item is in the
 * shadow table. A page's key is recorded only after its last item was written, and the file is
 * replaced atomically, so after a crash or Ctrl-C at any point {@code --resume} at worst writes the
 * unfinished pages again (harmless: same items, same versions). Keys are table keys, which may be
 * identifying, so the file is readable by its owner only.
 */
public final class CheckpointFile {

  private static final int FORMAT = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final String source;
  private final String shadow;
  private final List<SegmentState> segments;

  private CheckpointFile(Path file, String source, String shadow, List<SegmentState> segments) {
    this.file = file;
    this.source = source;
    this.shadow = shadow;
    this.segments = new ArrayList<>(segments);
  }

  /** The default file of a copy from {@code source} to {@code shadow}, under {@code dir}. */
  public static Path defaultPath(Path dir, String source, String shadow) {
    return dir.resolve(source + "--" + shadow + ".checkpoint.json");
  }

  /** A new run: refuses to overwrite the checkpoint of an unfinished one. */
  public static CheckpointFile start(Path file, String source, String shadow, int segments) {
    if (Files.exists(file)) {
      CheckpointFile old = read(file);
      if (!old.complete()) {
        throw new Refused(
            "checkpoint "
                + file
                + " belongs to an unfinished copy ("
                + old.itemsCopied()
                + " items done): continue"
                + " it with --resume, or delete the file to copy from the start");
      }
    }
    List<SegmentState> fresh = new ArrayList<>();
    for (int i = 0; i < segments; i++) {
      fresh.add(SegmentState.fresh(i));
    }
    CheckpointFile checkpoint = new CheckpointFile(file, source, shadow, fresh);
    checkpoint.save();
    return checkpoint;
  }

  /** An earlier run of the same copy, to continue. */
  public static CheckpointFile resume(Path file, String source, String shadow, int segments) {
    if (!Files.exists(file)) {
      throw new Refused(
          "--resume: no checkpoint at " + file + " (start without --resume, or pass --checkpoint)");
    }
    CheckpointFile old = read(file);
    if (!old.source.equals(source) || !old.shadow.equals(shadow)) {
      throw new Refused(
          "--resume: checkpoint "
              + file
              + " is of a copy from "
              + old.source
              + " to "
              + old.shadow);
    }
    if (old.segments.size() != segments) {
      throw new Refused(
          "--resume: checkpoint "
              + file
              + " was made with --segments "
              + old.segments.size()
              + "; resume with the same number");
    }
    return old;
  }

  public Path path() {
    return file;
  }

  public synchronized SegmentState segment(int segment) {
    return segments.get(segment);
  }

  public synchronized int segmentCount() {
    return segments.size();
  }

  /** Records a fully written page and persists the file. */
  public synchronized SegmentState pageWritten(
      int segment, Map<String, AttributeValue> next, int items) {
    SegmentState state = segments.get(segment);
    if (state.done()) {
      throw new IllegalStateException("segment " + segment + " is already complete");
    }
    SegmentState after = state.after(next, items);
    segments.set(segment, after);
    save();
    return after;
  }

  public synchronized long itemsCopied() {
    return segments.stream().mapToLong(SegmentState::items).sum();
  }

  public synchronized boolean complete() {
    return segments.stream().allMatch(SegmentState::done);
  }

  private void save() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("source", source);
    root.put("shadow", shadow);
    ArrayNode list = root.putArray("segments");
    for (SegmentState s : segments) {
      ObjectNode node = list.addObject();
      node.put("segment", s.segment());
      node.put("done", s.done());
      node.put("items", s.items());
      if (s.lastEvaluatedKey() != null) {
        node.set("lastEvaluatedKey", keyToJson(s.lastEvaluatedKey()));
      }
    }
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".checkpoint", ".tmp");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system: the folder's permissions are all there is.
      }
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write checkpoint " + file, e);
    }
  }

  static CheckpointFile read(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new Refused(
          "checkpoint "
              + file
              + " is unreadable ("
              + e.getClass().getSimpleName()
              + "); delete it to start over");
    }
    if (root == null || root.path("format").asInt() != FORMAT) {
      throw new Refused(
          "checkpoint " + file + " is not a format " + FORMAT + " backfill checkpoint");
    }
    List<SegmentState> segments = new ArrayList<>();
    for (JsonNode node : root.path("segments")) {
      JsonNode key = node.get("lastEvaluatedKey");
      segments.add(
          new SegmentState(
              node.path("segment").asInt(),
              node.path("done").asBoolean(),
              key == null ? null : keyFromJson(key),
              node.path("items").asLong()));
    }
    return new CheckpointFile(
        file, root.path("source").asText(), root.path("shadow").asText(), segments);
  }

  /** Key attributes are S, N or B; each is stored as {"S": "..."} like DynamoDB JSON. */
  static ObjectNode keyToJson(Map<String, AttributeValue> key) {
    ObjectNode node = JSON.createObjectNode();
    key.forEach(
        (name, value) -> {
          ObjectNode v = node.putObject(name);
          switch (value.type()) {
            case S -> v.put("S", value.s());
            case N -> v.put("N", value.n());
            case B -> v.put("B", Base64.getEncoder().encodeToString(value.b().asByteArray()));
            default ->
                throw new IllegalArgumentException(
                    "key attribute " + name + " has type " + value.type() + ", not S, N or B");
          }
        });
    return node;
  }

  static Map<String, AttributeValue> keyFromJson(JsonNode node) {
    Map<String, AttributeValue> key = new LinkedHashMap<>();
    node.fields()
        .forEachRemaining(
            e -> {
              JsonNode v = e.getValue();
              AttributeValue value;
              if (v.has("S")) {
                value = AttributeValue.fromS(v.get("S").asText());
              } else if (v.has("N")) {
                value = AttributeValue.fromN(v.get("N").asText());
              } else if (v.has("B")) {
                value =
                    AttributeValue.fromB(
                        SdkBytes.fromByteArray(Base64.getDecoder().decode(v.get("B").asText())));
              } else {
                throw new Refused("checkpoint key attribute " + e.getKey() + " is not S, N or B");
              }
              key.put(e.getKey(), value);
            });
    return key;
  }
}
