package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class DocumentsTest {

  @Test
  void aYamlStreamIsSplitOnSeparatorsAndEmptyDocumentsAreSkipped() {
    List<JsonNode> docs = Documents.readAll("a: 1\n---\n---\nb: 2\n", "s.yaml", Documents.Format.YAML);
    assertThat(docs).hasSize(2);
    assertThat(docs.get(1).get("b").asInt()).isEqualTo(2);
  }

  @Test
  void aTopLevelListIsOneDocument() {
    assertThat(Documents.readAll("[{a: 1}, {b: 2}]", "l.yaml", Documents.Format.YAML)).hasSize(1);
    assertThat(Documents.readAll("[1, 2]", "l.json", Documents.Format.JSON)).hasSize(1);
    assertThatThrownBy(() -> Documents.readOne("[{\"a\": 1}]", "l.json", Documents.Format.JSON).get("a").asInt())
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void jsonAcceptsATrailingCommaAsEnvoysLoaderDoes() {
    assertThat(Documents.readOne("{\"a\": [1, 2,],}", "t.json", Documents.Format.JSON).get("a").size()).isEqualTo(2);
  }

  @Test
  void duplicateKeysAreRejected() {
    assertThatThrownBy(() -> Documents.readOne("a: 1\na: 2\n", "d.yaml", Documents.Format.YAML))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("d.yaml: invalid configuration:\\ninvalid YAML at line 2".replace("\\n", "\n"))
        .hasMessageContaining("Duplicate field 'a'");
  }

  @Test
  void aMissingFileIsAConfigurationError() {
    assertThatThrownBy(() -> Documents.readOne(java.nio.file.Path.of("/nonexistent/x.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("/nonexistent/x.yaml: invalid configuration:\nno such file");
  }
}
