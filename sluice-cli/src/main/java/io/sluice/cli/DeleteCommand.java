package io.sluice.cli;

import io.sluice.resource.ResourceKind;
import java.io.IOException;
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
 * {@code sluice delete -f FILE|-} or {@code sluice delete KIND NAME... [-n NS]}: deletes resources
 * from a running proxy, as kubectl does. A delete is one change: if any named resource does not
 * exist, nothing is deleted (unless {@code --ignore-not-found}).
 */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = "Deletes resources from a running proxy, named by a file (-f) or by KIND NAME..., as kubectl delete does.")
final class DeleteCommand implements Callable<Integer> {
  @Mixin RuntimeCommand.AdminOption admin;

  @Option(names = {"-f", "--filename"}, paramLabel = "FILE",
      description = "A file, directory or - (standard input) naming the resources to delete. Repeatable.")
  List<String> files;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "The namespace (default: default).")
  String namespace;

  @Option(names = "--ignore-not-found", description = "Resources that do not exist are not an error.")
  boolean ignoreNotFound;

  @Parameters(paramLabel = "KIND NAME", arity = "0..*",
      description = "KIND NAME..., or KIND/NAME... (kinds: httproute, gateway (gtw), trafficsplit (ts), "
          + "httproutegroup, service (svc), endpoints (ep), endpointslice; plural forms and group-qualified names "
          + "such as httproute.policy.linkerd.io as well).")
  List<String> args = new ArrayList<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (files != null && !args.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "give either -f FILE or KIND NAME, not both");
    }
    if (files == null && args.isEmpty()) {
      throw new ParameterException(spec.commandLine(),
          "you must name what to delete: -f FILE, KIND NAME... or KIND/NAME...");
    }
    AdminClient client = admin.client();
    String flags = ignoreNotFound ? "&ignoreNotFound=true" : "";
    if (files != null) {
      if (namespace != null) {
        throw new ParameterException(spec.commandLine(), "-n applies to KIND NAME; a file names its namespaces");
      }
      int exit = 0;
      for (ManifestFiles.Manifest m : ManifestFiles.read(files, System.in)) {
        AdminClient.Answer a =
            client.post("/apis/delete?source=" + AdminClient.encode(m.source()) + flags, "application/yaml", m.text());
        exit = Math.max(exit, ResourceAnswers.print(a));
      }
      return exit;
    }
    // KIND NAME... or KIND/NAME...: grouped by kind, one request per kind.
    Map<String, List<String>> byKind = new LinkedHashMap<>();
    if (args.get(0).contains("/")) {
      for (String a : args) {
        int slash = a.indexOf('/');
        if (slash <= 0 || slash == a.length() - 1) {
          throw new ParameterException(spec.commandLine(),
              "expected KIND/NAME for every argument once the first is KIND/NAME, got '" + a + "'");
        }
        byKind.computeIfAbsent(kindArgument(a.substring(0, slash)), k -> new ArrayList<>()).add(a.substring(slash + 1));
      }
    } else {
      if (args.size() < 2) {
        throw new ParameterException(spec.commandLine(),
            "name the " + args.get(0) + " to delete: sluice delete " + args.get(0) + " NAME");
      }
      byKind.put(kindArgument(args.get(0)), args.subList(1, args.size()));
    }
    String ns = namespace == null ? "default" : namespace;
    int exit = 0;
    for (Map.Entry<String, List<String>> e : byKind.entrySet()) {
      StringBuilder q = new StringBuilder("/apis/delete?kind=").append(AdminClient.encode(e.getKey()))
          .append("&namespace=").append(AdminClient.encode(ns)).append(flags);
      for (String name : e.getValue()) {
        q.append("&name=").append(AdminClient.encode(name));
      }
      exit = Math.max(exit, ResourceAnswers.print(client.post(q.toString(), "text/plain", "")));
    }
    return exit;
  }

  private String kindArgument(String kind) {
    if (ResourceKind.byName(kind).isEmpty()) {
      throw new ParameterException(spec.commandLine(), ResourceTables.unknownKind(kind));
    }
    return kind;
  }
}
