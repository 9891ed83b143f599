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
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(effective);
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
