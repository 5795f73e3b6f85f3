package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bad input is reported, never thrown as anything but a {@link ConfigException}: every node of the
 * example bootstraps is replaced in turn by values of every JSON type.
 */
class BootstrapRobustnessTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  @Test
  void everyWrongValueAnywhereIsAConfigException() {
    int rejected = 0;
    for (String example : new String[] {"envoy-traffic-shift", "envoy-traffic-split"}) {
      JsonNode root = Documents.readOne(Path.of("../examples/" + example + "/envoy.yaml"));
      for (String pointer : pointers(root, "")) {
        for (JsonNode replacement : replacements()) {
          JsonNode mutated = root.deepCopy();
          replace(mutated, pointer, replacement);
          try {
            BootstrapReader.read(mutated, example);
          } catch (ConfigException e) {
            assertThat(e.errors()).as("a rejection names at least one error").isNotEmpty();
            rejected++;
          } catch (RuntimeException e) {
            fail("replacing " + pointer + " of " + example + " by " + replacement + " threw " + e, e);
          }
        }
      }
    }
    assertThat(rejected).as("most replacements are errors").isGreaterThan(500);
  }

  private static List<JsonNode> replacements() {
    ObjectNode object = F.objectNode().put("a", 1);
    ArrayNode list = F.arrayNode().add(1).add("b");
    return List.of(
        F.textNode("x"), F.textNode(""), F.numberNode(-1), F.numberNode(1e30), F.numberNode(0.5), F.booleanNode(true),
        F.objectNode(), F.arrayNode(), F.nullNode(), object, list);
  }

  private static List<String> pointers(JsonNode node, String at) {
    List<String> out = new ArrayList<>();
    if (!at.isEmpty()) {
      out.add(at);
    }
    if (node.isObject()) {
      node.fieldNames().forEachRemaining(f -> out.addAll(pointers(node.get(f), at + "/" + f.replace("~", "~0")
          .replace("/", "~1"))));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        out.addAll(pointers(node.get(i), at + "/" + i));
      }
    }
    return out;
  }

  private static void replace(JsonNode root, String pointer, JsonNode value) {
    int cut = pointer.lastIndexOf('/');
    JsonNode parent = root.at(pointer.substring(0, cut));
    String last = pointer.substring(cut + 1).replace("~1", "/").replace("~0", "~");
    if (parent.isObject()) {
      ((ObjectNode) parent).set(last, value);
    } else {
      ((ArrayNode) parent).set(Integer.parseInt(last), value);
    }
  }
}
