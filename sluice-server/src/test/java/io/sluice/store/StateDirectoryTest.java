package io.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state directory keeps the last complete write, whatever happened during the next one. */
class StateDirectoryTest {
  private static final String FILE = "runtime-overrides.json";

  @TempDir Path dir;

  @Test
  void savedOverridesLoadBackExactly() throws IOException {
    StateDirectory s = new StateDirectory(dir.resolve("a/b"));
    assertThat(s.loadRuntimeOverrides()).isEmpty();
    Map<String, String> values = new LinkedHashMap<>();
    values.put("routing.traffic_shift.helloworld", "90");
    values.put("quoted", "say \"hi\"\n\ttabbed");
    values.put("unicode.ключ", "значение ✓");
    values.put("fraction", "{\"numerator\": 5, \"denominator\": \"TEN_THOUSAND\"}");
    s.saveRuntimeOverrides(values);
    assertThat(new StateDirectory(dir.resolve("a/b")).loadRuntimeOverrides()).isEqualTo(values);

    s.saveRuntimeOverrides(Map.of("only", "1"));
    assertThat(s.loadRuntimeOverrides()).containsExactly(Map.entry("only", "1"));
    assertThat(tempFiles(s.path())).isEmpty();
  }

  @Test
  void aCrashBeforeTheRenameLeavesTheOldContentAndItsTempFileIsIgnoredAndRemoved() throws IOException {
    StateDirectory s = new StateDirectory(dir);
    s.saveRuntimeOverrides(Map.of("k", "old"));
    // What a crash between writing the temporary file and renaming it leaves behind: a complete
    // temporary file, and one cut short.
    Files.writeString(dir.resolve("." + FILE + ".123.tmp"), "{\"version\":1,\"overrides\":{\"k\":\"new\"}}");
    Files.writeString(dir.resolve("." + FILE + ".456.tmp"), "{\"version\":1,\"overr");

    StateDirectory reopened = new StateDirectory(dir);
    assertThat(reopened.loadRuntimeOverrides()).containsExactly(Map.entry("k", "old"));
    assertThat(tempFiles(dir)).isEmpty();
    reopened.saveRuntimeOverrides(Map.of("k", "newer"));
    assertThat(reopened.loadRuntimeOverrides()).containsExactly(Map.entry("k", "newer"));
  }

  @Test
  void aCrashBeforeTheFirstSaveLeavesNothing() throws IOException {
    Files.writeString(dir.resolve("." + FILE + ".789.tmp"), "{\"vers");
    assertThat(new StateDirectory(dir).loadRuntimeOverrides()).isEmpty();
  }

  @Test
  void aReaderNeverSeesAHalfWrittenFile() throws Exception {
    StateDirectory s = new StateDirectory(dir);
    // Two versions big enough that a write in place would be seen half done.
    Map<String, String> even = new LinkedHashMap<>();
    Map<String, String> odd = new LinkedHashMap<>();
    for (int i = 0; i < 2000; i++) {
      even.put("key." + i, "even-" + i);
      odd.put("key." + i, "odd-" + i);
    }
    s.saveRuntimeOverrides(even);
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicInteger reads = new AtomicInteger();
    StateDirectory r = new StateDirectory(dir);
    Thread reader =
        new Thread(() -> {
          try {
            while (writing.get() && failure.get() == null) {
              Map<String, String> seen = r.loadRuntimeOverrides();
              if (!seen.equals(even) && !seen.equals(odd)) {
                throw new AssertionError("a mix of versions: " + seen.size() + " keys");
              }
              reads.incrementAndGet();
            }
          } catch (Throwable t) {
            failure.set(t);
          }
        });
    reader.start();
    try {
      for (int i = 0; i < 60 && failure.get() == null; i++) {
        s.saveRuntimeOverrides(i % 2 == 0 ? odd : even);
      }
    } finally {
      writing.set(false);
      reader.join();
    }
    assertThat(failure.get()).isNull();
    assertThat(reads.get()).isPositive();
  }

  @Test
  void aDamagedFileIsReportedWithItsPath() throws IOException {
    Files.writeString(dir.resolve(FILE), "{not json");
    assertThatThrownBy(() -> new StateDirectory(dir).loadRuntimeOverrides())
        .isInstanceOf(IOException.class)
        .hasMessageContaining(dir.resolve(FILE).toString());
  }

  @Test
  void aFileInTheWayIsReportedInWords() throws IOException {
    Path file = Files.writeString(dir.resolve("state"), "x");
    assertThatThrownBy(() -> new StateDirectory(file))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot use the state directory " + file + ": a file is in the way");
  }

  private static List<Path> tempFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return new ArrayList<>(files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList());
    }
  }
}
