package io.sluice.cli;

import io.sluice.proxy.Log;
import io.sluice.tools.Backend;
import io.sluice.tools.BackendOptions;
import io.sluice.tools.Latency;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code sluice backend}: a test backend, as bb's terminus is for Linkerd's walkthrough. Answers
 * every request with its text until SIGTERM or SIGINT, then closes its ports and exits 0.
 */
@Command(
    name = "backend",
    mixinStandardHelpOptions = true,
    description = {
        "Runs a test backend: an HTTP/1.1 server answering every request with its text (by default its name and "
            + "the port, 'NAME PORT'), failing a share of requests with 500 and waiting a given latency.",
        "With --echo it answers a JSON description of the request instead, and honours "
            + "'X-Echo-Set-Header: Name:value,Name2:value2' and '?delay=1s'."})
final class BackendCommand implements Callable<Integer> {
  @Option(names = "--port", required = true, paramLabel = "PORT",
      description = "A port to listen on (repeatable; 0: any free port, printed at start).")
  List<Integer> ports;

  @Option(names = "--name", defaultValue = "backend", paramLabel = "NAME",
      description = "The backend's name, in the default text and echo documents (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--text", paramLabel = "TEXT",
      description = "The answer's body, followed by a newline (default: 'NAME PORT', the port the request came to).")
  String text;

  @Option(names = "--fail-percent", defaultValue = "0", paramLabel = "N",
      description = "Answer N% of requests, drawn at random, with 500 (same body) (default: ${DEFAULT-VALUE}).")
  double failPercent;

  @Option(names = "--latency", defaultValue = "0ms", paramLabel = "D[±J]",
      description = "Wait D before answering, plus or minus J drawn uniformly: 5ms, 5ms±2ms or 5ms+-2ms "
          + "(default: ${DEFAULT-VALUE}). No thread waits: answers are timers on the event loop.")
  String latency;

  @Option(names = "--echo", description = "Answer a JSON document describing the request.")
  boolean echo;

  @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
      description = "The address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
  String bind;

  @Option(names = "--threads", paramLabel = "N", description = "Event loops serving connections (default: the number of cores).")
  Integer threads;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    BackendOptions options = options();
    Backend backend;
    try {
      backend = Backend.start(options);
    } catch (IOException e) {
      System.err.println("sluice: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable stop = () -> {
      backend.close();
      stopped.countDown();
    };
    Signal.handle(new Signal("TERM"), s -> new Thread(stop, "sluice-backend-stop").start());
    Signal.handle(new Signal("INT"), s -> new Thread(stop, "sluice-backend-stop").start());
    List<InetSocketAddress> addresses = backend.addresses();
    for (InetSocketAddress a : addresses) {
      Log.info("backend " + options.name() + " on " + a.getHostString() + ":" + a.getPort() + " (" + backend.transport()
          + "): " + describe(options, a.getPort()));
    }
    stopped.await();
    return 0;
  }

  private BackendOptions options() {
    for (int p : ports) {
      if (p < 0 || p > 65535) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--port: expected a port from 0 to 65535, got " + p);
      }
    }
    if (name.isBlank()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--name: expected a name");
    }
    if (!(failPercent >= 0 && failPercent <= 100)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--fail-percent: expected a percentage from 0 to 100, got " + failPercent);
    }
    Latency l;
    try {
      l = Latency.parse(latency);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--latency: " + e.getMessage());
    }
    int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (n < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--threads: expected at least 1, got " + n);
    }
    if (bind.isBlank()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--bind: expected an address");
    }
    return new BackendOptions(name.strip(), bind.strip(), ports, text, failPercent, l, echo, n);
  }

  private static String describe(BackendOptions o, int port) {
    StringBuilder sb = new StringBuilder();
    sb.append(o.echo() ? "echoing requests as JSON" : "answering '" + o.bodyFor(port) + "'");
    if (o.failPercent() > 0) {
      sb.append(", failing ").append(o.failPercent()).append("% with 500");
    }
    if (!o.latency().isZero()) {
      sb.append(", after ").append(o.latency());
    }
    return sb.toString();
  }
}
