package io.sluice.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice runtime get|set|unset}: reads and changes a running proxy's runtime through its
 * admin interface ({@code /runtime}, {@code /runtime_modify}). Changes take effect on the next
 * request and survive a restart (the proxy keeps them in its state directory).
 */
@Command(
    name = "runtime",
    mixinStandardHelpOptions = true,
    description = "Reads and changes runtime values of a running proxy (the admin layer).",
    subcommands = {RuntimeCommand.Get.class, RuntimeCommand.Set.class, RuntimeCommand.Unset.class})
final class RuntimeCommand {

  /** The admin address option shared by the subcommands. */
  static final class AdminOption {
    @Option(names = "--admin", paramLabel = "URL", defaultValue = AdminClient.DEFAULT,
        description = "The proxy's admin address (default: ${DEFAULT-VALUE}).")
    String admin;

    @Spec(Spec.Target.MIXEE) CommandSpec command;

    /** The client for the address given; a malformed address is a usage error. */
    AdminClient client() {
      try {
        return new AdminClient(admin);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(command.commandLine(), "--admin: " + e.getMessage());
      }
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true,
      description = "Prints every runtime value (KEY = VALUE), or the value of KEY alone.")
  static final class Get implements Callable<Integer> {
    @picocli.CommandLine.Mixin AdminOption admin;

    @Parameters(arity = "0..1", paramLabel = "KEY")
    String key;

    @Override
    public Integer call() throws IOException {
      AdminClient.Answer a = admin.client().get("/runtime");
      if (a.status() != 200) {
        System.err.println("error: " + a.body().strip());
        return 1;
      }
      JsonNode root;
      try {
        root = new ObjectMapper().readTree(a.body());
      } catch (JsonProcessingException e) {
        System.err.println("error: " + admin.admin + " answered /runtime with something other than JSON;"
            + " is it a Sluice or Envoy admin interface?");
        return 1;
      }
      JsonNode entries = root.path("entries");
      if (key != null) {
        JsonNode e = entries.get(key);
        if (e == null) {
          System.err.println("error: runtime key " + key + " is not set");
          return 1;
        }
        System.out.println(e.path("final_value").asText());
        return 0;
      }
      List<String> layers = new java.util.ArrayList<>();
      root.path("layers").forEach(l -> layers.add(l.asText()));
      for (Iterator<Map.Entry<String, JsonNode>> it = entries.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        StringBuilder from = new StringBuilder();
        JsonNode lv = e.getValue().path("layer_values");
        for (int i = 0; i < lv.size() && i < layers.size(); i++) {
          if (!lv.get(i).asText().isEmpty()) {
            from.append(from.length() == 0 ? "" : ", ").append(layers.get(i)).append('=').append(lv.get(i).asText());
          }
        }
        System.out.println(e.getKey() + " = " + e.getValue().path("final_value").asText() + "   (" + from + ")");
      }
      return 0;
    }
  }

  @Command(name = "set", mixinStandardHelpOptions = true,
      description = "Sets runtime values in the admin layer: KEY=VALUE...")
  static final class Set implements Callable<Integer> {
    @picocli.CommandLine.Mixin AdminOption admin;

    @Parameters(arity = "1..*", paramLabel = "KEY=VALUE")
    List<String> assignments;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      Map<String, String> form = new LinkedHashMap<>();
      for (String a : assignments) {
        int eq = a.indexOf('=');
        if (eq <= 0) {
          throw new picocli.CommandLine.ParameterException(spec.commandLine(),
              "expected KEY=VALUE, got '" + a + "' (to remove a key use `sluice runtime unset KEY`)");
        }
        form.put(a.substring(0, eq), a.substring(eq + 1));
      }
      return modify(admin.client(), form);
    }
  }

  @Command(name = "unset", mixinStandardHelpOptions = true,
      description = "Removes runtime overrides from the admin layer: KEY...")
  static final class Unset implements Callable<Integer> {
    @picocli.CommandLine.Mixin AdminOption admin;

    @Parameters(arity = "1..*", paramLabel = "KEY")
    List<String> keys;

    @Override
    public Integer call() throws IOException {
      Map<String, String> form = new LinkedHashMap<>();
      keys.forEach(k -> form.put(k, ""));
      return modify(admin.client(), form);
    }
  }

  static int modify(AdminClient admin, Map<String, String> form) throws IOException {
    AdminClient.Answer a = admin.postForm("/runtime_modify", form);
    if (a.status() != 200) {
      System.err.println("error: " + a.body().strip());
      return 1;
    }
    System.out.println(a.body().strip());
    return 0;
  }
}
