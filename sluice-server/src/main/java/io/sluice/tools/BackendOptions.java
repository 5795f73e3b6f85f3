package io.sluice.tools;

import java.util.List;

/**
 * What a {@link Backend} is: its name, where it listens, what it answers and how.
 *
 * @param name the backend's name, in the default answer and in echo documents
 * @param host the address it binds ({@code 127.0.0.1} unless told otherwise)
 * @param ports the ports it listens on, 0 for any free port
 * @param text the answer's body (a newline is added), or null for {@code "NAME PORT"} with the port
 *     the request arrived on
 * @param failPercent the share of requests, 0 to 100, answered 500 instead (same body)
 * @param latency how long each answer waits, scheduled on the connection's event loop
 * @param echo answer a JSON document describing the request instead of the text
 * @param threads event loops serving connections
 */
public record BackendOptions(
    String name, String host, List<Integer> ports, String text, double failPercent, Latency latency, boolean echo,
    int threads) {

  public BackendOptions {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name: must not be empty");
    }
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host: must not be empty");
    }
    ports = List.copyOf(ports);
    if (ports.isEmpty()) {
      throw new IllegalArgumentException("ports: at least one port is needed");
    }
    for (int i = 0; i < ports.size(); i++) {
      if (ports.get(i) < 0 || ports.get(i) > 65535) {
        throw new IllegalArgumentException("ports[" + i + "]: must be between 0 and 65535, got " + ports.get(i));
      }
    }
    if (!(failPercent >= 0 && failPercent <= 100)) {
      throw new IllegalArgumentException("failPercent: must be between 0 and 100, got " + failPercent);
    }
    if (latency == null) {
      throw new IllegalArgumentException("latency: must not be null (Latency.NONE for none)");
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads: must be at least 1, got " + threads);
    }
  }

  /** A backend called {@code name} on 127.0.0.1 at {@code ports}, answering {@code "NAME PORT"} at once, one thread. */
  public static BackendOptions of(String name, int... ports) {
    return new BackendOptions(name, "127.0.0.1", java.util.Arrays.stream(ports).boxed().toList(), null, 0, Latency.NONE,
        false, 1);
  }

  public BackendOptions withHost(String host) {
    return new BackendOptions(name, host, ports, text, failPercent, latency, echo, threads);
  }

  public BackendOptions withText(String text) {
    return new BackendOptions(name, host, ports, text, failPercent, latency, echo, threads);
  }

  public BackendOptions withFailPercent(double failPercent) {
    return new BackendOptions(name, host, ports, text, failPercent, latency, echo, threads);
  }

  public BackendOptions withLatency(Latency latency) {
    return new BackendOptions(name, host, ports, text, failPercent, latency, echo, threads);
  }

  public BackendOptions withEcho(boolean echo) {
    return new BackendOptions(name, host, ports, text, failPercent, latency, echo, threads);
  }

  public BackendOptions withThreads(int threads) {
    return new BackendOptions(name, host, ports, text, failPercent, latency, echo, threads);
  }

  /** The body answered on {@code port}, without the newline: the text, or {@code "NAME PORT"}. */
  public String bodyFor(int port) {
    return text != null ? text : name + " " + port;
  }
}
