package io.sluice.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sluice.resource.ResourceKind;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice get KIND [NAME...] [-n NS|-A] [-o wide|yaml|json|name]}: lists the resources a
 * running proxy holds, as kubectl does: a table (one per kind), or the resources themselves with
 * their status.
 */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = "Lists the resources of a running proxy, as kubectl get does.")
final class GetCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper YAML =
      YAMLMapper.builder(YAMLFactory.builder().build())
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
          .build();
  private static final List<String> OUTPUTS = List.of("wide", "yaml", "json", "name");

  @Mixin RuntimeCommand.AdminOption admin;

  @Parameters(arity = "1..*", paramLabel = "KIND [NAME...]",
      description = "KIND[,KIND...] [NAME...], or KIND/NAME... Kinds: " + ResourceTables.KINDS
          + "; plural forms and group-qualified names (httproute.policy.linkerd.io) as well; all: every kind.")
  List<String> args;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "The namespace (default: default).")
  String namespace;

  @Option(names = {"-A", "--all-namespaces"}, description = "Every namespace.")
  boolean allNamespaces;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
      description = "wide (more columns), yaml or json (the resources with their status), name.")
  String output;

  @Spec CommandSpec spec;

  /** One thing asked for: a kind as written, and a name or null for all. */
  private record Target(String kind, String name) {}

  @Override
  public Integer call() throws IOException {
    if (output != null && !OUTPUTS.contains(output)) {
      throw new ParameterException(spec.commandLine(), "-o: unknown output format \"" + output
          + "\"; the formats are " + String.join(", ", OUTPUTS));
    }
    if (allNamespaces && namespace != null) {
      throw new ParameterException(spec.commandLine(), "-n and -A cannot be used together");
    }
    List<Target> targets = targets();
    boolean named = targets.stream().anyMatch(t -> t.name() != null);
    if (named && allNamespaces) {
      throw new ParameterException(spec.commandLine(),
          "a resource cannot be retrieved by name across all namespaces; use -n NS");
    }
    AdminClient client = admin.client();
    String ns = namespace == null ? "default" : namespace;
    Map<String, JsonNode> found = new LinkedHashMap<>();
    List<String> notFound = new ArrayList<>();
    for (Target t : targets) {
      StringBuilder q = new StringBuilder("/apis/resources?kind=").append(AdminClient.encode(t.kind()));
      q.append(allNamespaces ? "&all=true" : "&namespace=" + AdminClient.encode(ns));
      if (t.name() != null) {
        q.append("&name=").append(AdminClient.encode(t.name()));
      }
      AdminClient.Answer a = client.get(q.toString());
      if (a.status() == 404 && !a.body().startsWith("invalid path")) {
        notFound.add(a.body().strip());
        continue;
      }
      if (a.status() != 200) {
        return ResourceAnswers.print(a);
      }
      JsonNode list;
      try {
        list = JSON.readTree(a.body());
      } catch (JsonProcessingException e) {
        System.err.println("error: the admin interface answered with something other than JSON");
        return 1;
      }
      for (JsonNode item : list.path("items")) {
        JsonNode m = item.path("metadata");
        found.putIfAbsent(item.path("apiVersion").asText() + "/" + item.path("kind").asText() + "/"
            + m.path("namespace").asText() + "/" + m.path("name").asText(), item);
      }
    }
    print(new ArrayList<>(found.values()), targets.size() == 1 && named);
    for (String n : notFound) {
      System.err.println("error: " + n);
    }
    if (found.isEmpty() && notFound.isEmpty() && (output == null || output.equals("wide"))) {
      System.err.println(allNamespaces ? "No resources found" : "No resources found in " + ns + " namespace.");
    }
    return notFound.isEmpty() ? 0 : 1;
  }

  private List<Target> targets() {
    List<Target> out = new ArrayList<>();
    if (args.get(0).contains("/")) {
      for (String a : args) {
        int slash = a.indexOf('/');
        if (slash <= 0 || slash == a.length() - 1) {
          throw new ParameterException(spec.commandLine(),
              "expected KIND/NAME for every argument once the first is KIND/NAME, got '" + a + "'");
        }
        out.add(new Target(checkedKind(a.substring(0, slash)), a.substring(slash + 1)));
      }
      return out;
    }
    List<String> kinds = new ArrayList<>();
    for (String k : args.get(0).split(",", -1)) {
      kinds.add(checkedKind(k));
    }
    List<String> names = args.subList(1, args.size());
    for (String k : kinds) {
      if (names.isEmpty()) {
        out.add(new Target(k, null));
      }
      for (String n : names) {
        out.add(new Target(k, n));
      }
    }
    return out;
  }

  private String checkedKind(String kind) {
    if (kind.isEmpty() || (!kind.equals("all") && ResourceKind.byName(kind).isEmpty())) {
      throw new ParameterException(spec.commandLine(), ResourceTables.unknownKind(kind));
    }
    return kind;
  }

  private void print(List<JsonNode> items, boolean single) throws IOException {
    if ("yaml".equals(output) || "json".equals(output)) {
      if (items.isEmpty() && single) {
        return;
      }
      JsonNode doc = single && items.size() == 1 ? items.get(0) : list(items);
      System.out.print("json".equals(output) ? JSON.writeValueAsString(doc) + "\n" : YAML.writeValueAsString(doc));
      return;
    }
    if ("name".equals(output)) {
      for (JsonNode item : items) {
        ResourceKind k = ResourceKind.of(item.path("apiVersion").asText(), item.path("kind").asText());
        System.out.println((k == null ? item.path("kind").asText().toLowerCase() : k.qualifiedName()) + "/"
            + item.path("metadata").path("name").asText());
      }
      return;
    }
    // One table per kind, in the order the kinds first appear; names qualified when there are several.
    Map<ResourceKind, List<JsonNode>> byKind = new LinkedHashMap<>();
    for (JsonNode item : items) {
      ResourceKind k = ResourceKind.of(item.path("apiVersion").asText(), item.path("kind").asText());
      if (k != null) {
        byKind.computeIfAbsent(k, x -> new ArrayList<>()).add(item);
      }
    }
    Instant now = Instant.now();
    List<String> tables = new ArrayList<>();
    byKind.forEach((k, list) ->
        tables.add(ResourceTables.render(k, list, allNamespaces, "wide".equals(output), byKind.size() > 1, now)));
    System.out.print(String.join("\n", tables));
  }

  /** kubectl's list: {@code apiVersion: v1, items: [...], kind: List, metadata: {resourceVersion: ""}}. */
  private static JsonNode list(List<JsonNode> items) {
    ObjectNode list = JSON.createObjectNode();
    list.put("apiVersion", "v1");
    ArrayNode array = list.putArray("items");
    items.forEach(array::add);
    list.put("kind", "List");
    list.putObject("metadata").put("resourceVersion", "");
    return list;
  }
}
