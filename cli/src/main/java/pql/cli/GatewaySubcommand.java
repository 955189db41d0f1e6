package pql.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A subcommand that talks to the gateway: its output stream and a client built from the root command's options. */
abstract class GatewaySubcommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    GatewayClient connect() {
        return ((Pql) spec.root().userObject()).connect();
    }
}
