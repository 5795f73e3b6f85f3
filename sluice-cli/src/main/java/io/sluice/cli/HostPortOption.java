package io.sluice.cli;

import io.sluice.config.HostPort;
import picocli.CommandLine;

/** Parses {@code HOST:PORT} options ({@code [::1]:9901} for IPv6). */
final class HostPortOption {
  private HostPortOption() {}

  static HostPort parse(CommandLine.Model.CommandSpec spec, String option, String text) {
    String t = text.trim();
    if (t.startsWith("http://")) {
      t = t.substring(7);
    }
    int colon = t.lastIndexOf(':');
    if (colon <= 0 || colon == t.length() - 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), option + ": expected HOST:PORT, got '" + text + "'");
    }
    String host = t.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      int port = Integer.parseInt(t.substring(colon + 1));
      return new HostPort(host, port);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          option + ": expected HOST:PORT with a port from 0 to 65535, got '" + text + "'");
    }
  }
}
