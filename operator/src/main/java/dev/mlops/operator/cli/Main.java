package dev.mlops.operator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code mlops-operator.jar}. With no subcommand it runs the operator. */
@Command(name = "mlops-operator", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Kubernetes operator for GPU training, NAS volumes, Redis and pipelines (mlops.dev/v1alpha1).",
    subcommands = {RunCommand.class, RenderCommand.class, SandboxCommand.class, BenchCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  public static int execute(String... args) {
    String[] effective = args.length == 0 ? new String[] {"run"} : args;
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(Main::unexpected).setParameterExceptionHandler(Main::badOption)
        .execute(effective);
  }

  /** A mistyped option or value: one line saying what and where help is, not the whole usage text. */
  private static int badOption(CommandLine.ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    String message = e.getMessage() == null ? "invalid option" : e.getMessage().lines().findFirst().orElse("");
    command.getErr().println(command.getCommandName() + ": " + message + " (see "
        + command.getCommandSpec().qualifiedName() + " --help)");
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }

  /**
   * Whatever a command did not turn into its own message: one line and exit 1; the stack trace only
   * with MLOPS_LOG_LEVEL=debug, because a user who sees a trace thinks the tool is broken.
   */
  private static int unexpected(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    command.getErr().println(command.getCommandName() + ": unexpected error: "
        + message.lines().findFirst().orElse(message) + " (MLOPS_LOG_LEVEL=debug shows the details)");
    if ("debug".equalsIgnoreCase(System.getenv("MLOPS_LOG_LEVEL"))) {
      e.printStackTrace(command.getErr());
    }
    return 1;
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"mlops-operator " + (version == null ? "dev" : version)};
    }
  }
}
