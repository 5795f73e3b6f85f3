package io.sluice.cli;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice apply -f FILE|DIR|-}: sends Kubernetes-style resources to a running proxy, which
 * validates them whole, keeps them in its state directory and routes by them at once. Prints one
 * line per document as kubectl does; on any error prints every error, changes nothing, exits 1.
 */
@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    description = {
      "Applies Kubernetes-style resources (HTTPRoute, Gateway, TrafficSplit, Service, EndpointSlice, ...) "
          + "to a running proxy, as kubectl apply does.",
      "Each file is one apply: validated whole, and on any error nothing of it changes."
    })
final class ApplyCommand implements Callable<Integer> {
  @Mixin RuntimeCommand.AdminOption admin;

  @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE",
      description = "A YAML or JSON file of resources (--- between documents), a directory of them, or - for "
          + "standard input. Repeatable.")
  List<String> files;

  @Option(names = "--dry-run", description = "Validate and compile only; change nothing.")
  boolean dryRun;

  @Override
  public Integer call() throws IOException {
    AdminClient client = admin.client();
    int exit = 0;
    for (ManifestFiles.Manifest m : ManifestFiles.read(files, System.in)) {
      String query = "/apis/apply?source=" + AdminClient.encode(m.source()) + (dryRun ? "&dryRun=true" : "");
      AdminClient.Answer a = client.post(query, "application/yaml", m.text());
      exit = Math.max(exit, ResourceAnswers.print(a));
    }
    return exit;
  }
}
