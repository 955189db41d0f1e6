package pql.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "start", description = {
    "Runs the all-in-one (ingest, scoring, forecast and the gateway in one JVM) in the foreground.",
    "It keeps its data in the embedded store (./data) and loads a sample dataset at its first start. It prints where "
            + "the API and the dashboard are, and the local API key. Ctrl-C stops it. Env overrides: see all-in-one/config.yml."})
final class StartCommand implements Callable<Integer> {

    @Option(names = "--config", description = "Config file (default: all-in-one/config.yml of the project).")
    Path config;

    @Override
    public Integer call() throws Exception {
        Path file = config != null ? config : Path.of(System.getProperty("pql.home", "."), "all-in-one", "config.yml");
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("no config file at " + file + " (pass --config FILE)");
        }
        AllInOneEntryPoints.startServer(file);
        // Jetty and the gRPC servers run on their own threads; stay until Ctrl-C (Dropwizard
        // stops everything cleanly from its shutdown hook).
        Thread.currentThread().join();
        return 0;
    }
}
