package io.sluice.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a proxy keeps what it was told at run time, so that a restart loses none of it: the runtime
 * overrides made through {@code /runtime_modify} (Envoy forgets them; Sluice does not) and the
 * resources applied with {@code sluice apply}.
 *
 * <p>Every write is atomic: the new content goes to a temporary file in the same directory, is
 * forced to disk, and is renamed over the old file, and the directory is forced too. A crash at any
 * point leaves either the old file or the new one.
 */
public final class StateDirectory {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RUNTIME = "runtime-overrides.json";
  /** The applied resources: one file, so that an apply is saved whole or not at all. */
  static final String RESOURCES = "resources.json";

  private final Path dir;

  /**
   * A state directory at {@code dir}, created if missing. Temporary files left by a write that a
   * crash interrupted are removed: the file they were meant to replace is still whole.
   */
  public StateDirectory(Path dir) throws IOException {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
      removeTemporaryFiles();
    } catch (IOException e) {
      throw new IOException("cannot use the state directory " + dir + ": " + describe(e), e);
    }
  }

  /** The directory. */
  public Path path() {
    return dir;
  }

  /** The saved runtime overrides (key to value as given), empty when none were saved. */
  public Map<String, String> loadRuntimeOverrides() throws IOException {
    Path file = dir.resolve(RUNTIME);
    if (!Files.exists(file)) {
      return Map.of();
    }
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new IOException(file + " is damaged (" + e.getOriginalMessage() + "); fix or remove it", e);
    }
    JsonNode values = root.path("overrides");
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  /** Saves the runtime overrides, replacing what was saved. */
  public void saveRuntimeOverrides(Map<String, String> overrides) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", 1);
    ObjectNode values = root.putObject("overrides");
    new TreeMap<>(overrides).forEach(values::put);
    writeAtomically(RUNTIME, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
  }

  /**
   * The saved resources ({@code ResourceSet.toJson()} as {@link #saveResources} was given it), or
   * null when none were saved.
   */
  public JsonNode loadResources() throws IOException {
    Path file = dir.resolve(RESOURCES);
    if (!Files.exists(file)) {
      return null;
    }
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new IOException(file + " is damaged (" + e.getOriginalMessage() + "); fix or remove it", e);
    }
    JsonNode set = root == null ? null : root.get("resources");
    if (set == null || !set.isObject()) {
      throw new IOException(file + " is damaged (no \"resources\" object); fix or remove it");
    }
    return set;
  }

  /** Saves the resources, replacing what was saved, in one atomic write. */
  public void saveResources(JsonNode resourceSet) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", 1);
    root.set("resources", resourceSet);
    writeAtomically(RESOURCES, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
  }

  /** Writes {@code name} atomically with {@code content}. */
  public void writeAtomically(String name, String content) throws IOException {
    Path target = dir.resolve(name);
    Path tmp = Files.createTempFile(dir, "." + name + ".", ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(StandardCharsets.UTF_8.encode(content));
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the state directory " + dir + " does not support atomic renames", e);
      }
      forceDirectory();
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** An I/O error in words: the JDK's file exceptions carry only the path as their message. */
  private static String describe(IOException e) {
    String kind = switch (e.getClass().getSimpleName()) {
      case "AccessDeniedException" -> "permission denied";
      case "FileAlreadyExistsException" -> "a file is in the way";
      case "NoSuchFileException" -> "no such file or directory";
      case "NotDirectoryException" -> "not a directory";
      default -> e.getClass().getSimpleName();
    };
    return e.getMessage() == null ? kind : kind + " (" + e.getMessage() + ")";
  }

  private void removeTemporaryFiles() throws IOException {
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir, ".*.tmp")) {
      for (Path p : stale) {
        Files.deleteIfExists(p);
      }
    }
  }

  private void forceDirectory() {
    // Makes the rename durable; not every platform can open a directory, which is fine.
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // best effort
    }
  }
}
