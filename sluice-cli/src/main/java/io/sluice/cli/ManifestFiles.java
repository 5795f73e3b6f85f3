package io.sluice.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What {@code -f} names for {@code apply} and {@code delete}, as kubectl reads it: a file, a
 * directory (its {@code .yaml}, {@code .yml} and {@code .json} files, in name order, not
 * recursively), or {@code -} for standard input.
 */
final class ManifestFiles {
  /** One stream of documents, and the name errors give it. */
  record Manifest(String source, String text) {}

  private ManifestFiles() {}

  /**
   * Reads every stream {@code names} designates.
   *
   * @throws IOException naming the path that does not exist or cannot be read
   */
  static List<Manifest> read(List<String> names, InputStream stdin) throws IOException {
    List<Manifest> out = new ArrayList<>();
    for (String name : names) {
      if (name.equals("-")) {
        out.add(new Manifest("-", new String(stdin.readAllBytes(), StandardCharsets.UTF_8)));
        continue;
      }
      Path path = Path.of(name);
      if (!Files.exists(path)) {
        throw new IOException("the path \"" + name + "\" does not exist");
      }
      if (Files.isDirectory(path)) {
        List<Path> files;
        try (Stream<Path> s = Files.list(path)) {
          files = s.filter(p -> Files.isRegularFile(p) && isManifest(p)).sorted().toList();
        }
        if (files.isEmpty()) {
          throw new IOException("the directory \"" + name + "\" has no .yaml, .yml or .json file");
        }
        for (Path f : files) {
          out.add(new Manifest(f.toString(), readFile(f)));
        }
      } else {
        out.add(new Manifest(name, readFile(path)));
      }
    }
    return out;
  }

  private static boolean isManifest(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
  }

  private static String readFile(Path p) throws IOException {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IOException("cannot read \"" + p + "\": " + (e.getMessage() == null ? e.getClass().getSimpleName()
          : e.getClass().getSimpleName() + " " + e.getMessage()), e);
    }
  }
}
