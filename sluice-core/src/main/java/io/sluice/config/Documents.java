package io.sluice.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads configuration documents (YAML or JSON) into Jackson trees. Syntax errors become a {@link
 * ConfigException} naming the line and column; nothing here throws a parser's stack trace at the
 * user.
 */
public final class Documents {

  /** The syntax a document is written in. */
  public enum Format {
    YAML,
    JSON
  }

  private static final ObjectMapper YAML =
      YAMLMapper.builder(YAMLFactory.builder().build())
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .disable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  // Envoy's JSON loader accepts a trailing comma (its own test files rely on it), so this one does too.
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .build();

  private Documents() {}

  /** The format implied by a file name: {@code .json} is JSON, everything else YAML. */
  public static Format formatOf(String fileName) {
    return fileName.toLowerCase(Locale.ROOT).endsWith(".json") ? Format.JSON : Format.YAML;
  }

  /** Reads a file holding exactly one document. */
  public static JsonNode readOne(Path file) {
    return readOne(readText(file), file.toString(), formatOf(file.getFileName().toString()));
  }

  /** Reads text holding exactly one document; {@code source} names it in error messages. */
  public static JsonNode readOne(String text, String source, Format format) {
    List<JsonNode> documents = readAll(text, source, format);
    if (documents.isEmpty()) {
      throw ConfigException.of(source, "", "the document is empty");
    }
    if (documents.size() > 1) {
      throw ConfigException.of(
          source, "", "expected one document, found " + documents.size() + " (separated by ---)");
    }
    return documents.get(0);
  }

  /** Reads a file holding any number of documents (a YAML stream separated by {@code ---}). */
  public static List<JsonNode> readAll(Path file) {
    return readAll(readText(file), file.toString(), formatOf(file.getFileName().toString()));
  }

  /** Reads every document of a stream, skipping empty ones. */
  public static List<JsonNode> readAll(String text, String source, Format format) {
    ObjectMapper mapper = format == Format.JSON ? JSON : YAML;
    List<JsonNode> out = new ArrayList<>();
    // One readTree per root value: a top-level list stays one document (readValues would unwrap it).
    try (JsonParser parser = mapper.createParser(text)) {
      while (parser.nextToken() != null) {
        JsonNode node = mapper.readTree(parser);
        // An empty YAML document reads as null or as the empty string.
        boolean empty = node == null || node.isNull() || node.isMissingNode() || (node.isTextual() && node.asText().isEmpty());
        if (!empty) {
          out.add(node);
        }
      }
    } catch (JsonProcessingException e) {
      throw ConfigException.of(source, "", syntaxError(e, format));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Reads a file as UTF-8, turning a missing file into a {@link ConfigException}. */
  public static String readText(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw ConfigException.of(file.toString(), "", "no such file");
    } catch (IOException e) {
      throw ConfigException.of(file.toString(), "", "cannot read: " + e.getMessage());
    }
  }

  private static String syntaxError(JsonProcessingException e, Format format) {
    String message = e.getOriginalMessage();
    int cut = message.indexOf("\n at [Source");
    if (cut >= 0) {
      message = message.substring(0, cut);
    }
    message = message.replace('\n', ' ').strip();
    JsonLocation at = e.getLocation();
    String where =
        at == null || at.getLineNr() < 0 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    return "invalid " + format.name() + where + ": " + message;
  }
}
