package dev.mlops.operator.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The jar's entry point run in-process, as a user runs it, with what it printed on each stream. */
final class Cli {

  record Output(int exit, String out, String err) {}

  private Cli() {}

  /** One at a time: System.out and System.err are the process's. */
  static synchronized Output execute(List<String> args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    var o = new ByteArrayOutputStream();
    var e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int exit = Main.execute(args.toArray(String[]::new));
      return new Output(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
