package io.sluice.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sluice} command: one entry point, one subcommand per job. */
@Command(
    name = "sluice",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Sluice: a traffic-shifting HTTP proxy that speaks Envoy route configuration and Gateway API.",
    subcommands = {
      DemoCommand.class, ProxyCommand.class, ApplyCommand.class, GetCommand.class, DeleteCommand.class, RuntimeCommand.class,
      StatCommand.class, BackendCommand.class, LoadCommand.class, RouteCheckCommand.class, CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  /** Exit code for a command line that could not be understood. */
  public static final int USAGE_ERROR = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (for tests and the launcher). */
  public static int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setExitCodeExceptionMapper(e -> USAGE_ERROR);
    cl.getCommandSpec().parser().caseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          // Failures a user can act on (an unreachable admin, a bad file) get one line, no trace.
          String message = e.getMessage();
          cmd.getErr().println("error: " + (message == null || message.isBlank() ? e.toString() : message));
          return 1;
        });
    CommandLine.IParameterExceptionHandler usage = cl.getParameterExceptionHandler();
    cl.setParameterExceptionHandler(
        (e, rest) ->
            "route-check".equals(e.getCommandLine().getCommandName())
                ? RouteCheckCommand.PARSE_ERRORS.handleParseException(e, rest)
                : usage.handleParseException(e, rest));
    return cl.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The version from the jar manifest, or "dev" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"sluice " + (v == null ? "dev" : v)};
    }
  }
}
