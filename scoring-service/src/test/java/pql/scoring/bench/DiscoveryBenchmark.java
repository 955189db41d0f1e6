package pql.scoring.bench;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import pql.eventstore.embedded.EmbeddedStoreOptions;
import pql.eventstore.embedded.RocksDbEventStore;
import pql.scoring.app.ScoringProjection;
import pql.scoring.axon.ProjectionRunner;
import pql.scoring.domain.Persona;
import pql.scoring.domain.PersonaRule;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.backtest.BacktestReport;
import pql.scoring.domain.backtest.ClosedTrial;
import pql.scoring.domain.backtest.DefinitionBacktest;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.definition.DefinitionPresets;
import pql.scoring.domain.discovery.ConversionDiscovery;
import pql.scoring.domain.discovery.DiscoveryReport;
import pql.scoring.domain.discovery.DiscoverySettings;
import pql.scoring.domain.discovery.TrialHistory;
import pql.scoring.store.StoreTrialHistories;

/**
 * Issue #16's speed target over 100k accounts / 10M events (the rescore benchmark's history, three
 * accounts in five closing their trial): one rescore (the same run's baseline), then the backtest
 * of that projection (what DefinitionBacktests does: every account's closed trial, then the
 * figures) and the discovery (what DefinitionSuggestions does: every closed trial's actions read
 * from the log, then every candidate rule tested), each with its time, CPU per event and ratio to
 * the rescore. Target: each under 60 s.
 *
 * <pre>
 * ./mvnw -q -o -pl scoring-service -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -Xmx4g -cp scoring-service/target/test-classes:scoring-service/target/classes:$(cat /tmp/cp.txt) \
 *     pql.scoring.bench.DiscoveryBenchmark
 * </pre>
 * System properties: bench.accounts (100000), bench.eventsPerAccount (100), bench.dir (target/bench-data).
 */
public final class DiscoveryBenchmark {

    private DiscoveryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int accounts = Integer.getInteger("bench.accounts", 100_000);
        int perAccount = Integer.getInteger("bench.eventsPerAccount", 100);
        Path directory = Path.of(System.getProperty("bench.dir", "target/bench-data")).toAbsolutePath();
        System.out.printf("discovery benchmark: %,d accounts x %d events; %d cores, max heap %,d MiB%n", accounts,
                perAccount, Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        try (RocksDbEventStore store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(
                BenchmarkHistory.storeDirectory(directory, accounts, perAccount)))) {
            if (store.headPosition() == 0) {
                System.out.printf("  history written in %.1f s%n", BenchmarkHistory.write(store, accounts, perAccount));
            }
            long total = store.headPosition();
            CompiledDefinition definition = new CompiledDefinition(1, DefinitionPresets.forComplexity(ProductComplexity.INTERMEDIATE));

            ScoringProjection projection = new ScoringProjection(definition);
            ProjectionRunner.Settings settings = new ProjectionRunner.Settings(2, 16, 256, Duration.ofMinutes(10), 2);
            ProjectionRunner runner = new ProjectionRunner(projection, "bench-discovery", store, new InMemoryTokenStore(),
                    null, settings.withoutCheckpoints(), Clock.systemUTC());
            long started = System.nanoTime();
            RescoreBenchmark.rescore(runner, projection, total, settings);
            double rescoreSeconds = (System.nanoTime() - started) / 1e9;
            runner.halt();

            long from = BenchmarkHistory.START_SECONDS * 1000;
            long to = from + Duration.ofDays(120).toMillis();
            Timed<BacktestReport> backtest = time(() -> backtest(projection, from, to));
            System.out.printf("backtest: %,d closed trials, %,d PQLs, precision %s, recall %s in %.2f s (CPU %.2f s = %.3f us per "
                    + "event of the log) = %.3fx the rescore%n", backtest.value().trialsClosed(), backtest.value().pqls(),
                    figure(backtest.value().precision()), figure(backtest.value().recall()), backtest.seconds(), backtest.cpuSeconds(),
                    backtest.cpuSeconds() * 1e6 / total, backtest.seconds() / rescoreSeconds);

            Timed<DiscoveryReport> discovery = time(() -> {
                List<TrialHistory> trials = new StoreTrialHistories(store).closedBetween(from, to);
                return ConversionDiscovery.discover(trials, DiscoverySettings.defaults(0.05));
            });
            System.out.printf("suggest: %,d closed trials, %,d rules tested, %,d predictive in %.2f s (CPU %.2f s = %.3f us per "
                    + "event) = %.2fx the rescore%n", discovery.value().trials(), discovery.value().rules().size(),
                    discovery.value().predictors().size(), discovery.seconds(), discovery.cpuSeconds(),
                    discovery.cpuSeconds() * 1e6 / total, discovery.seconds() / rescoreSeconds);
            System.out.printf("RATIO backtest_vs_rescore %.3fx (target: under 60 s; %.1f s)%n", backtest.seconds() / rescoreSeconds,
                    backtest.seconds());
            System.out.printf("RATIO suggest_vs_rescore %.2fx (target: under 60 s; %.1f s)%n", discovery.seconds() / rescoreSeconds,
                    discovery.seconds());
        }
    }

    /** What DefinitionBacktests does with a projection in memory. */
    private static BacktestReport backtest(ScoringProjection projection, long from, long to) {
        List<ClosedTrial> trials = new ArrayList<>();
        projection.accounts().forEach(state -> {
            ClosedTrial trial = state.closedTrial();
            if (trial != null) {
                trials.add(trial);
            }
        });
        Map<Persona, Double> odds = new EnumMap<>(Persona.class);
        for (Persona persona : Persona.values()) {
            odds.put(persona, PersonaRule.oddsOf(persona, projection.definition().definition().personaOdds()));
        }
        return DefinitionBacktest.run(trials, odds, from, to);
    }

    private static String figure(pql.scoring.domain.backtest.BacktestFigure figure) {
        return figure.measured() ? String.format(java.util.Locale.ROOT, "%.3f", figure.value()) : "not enough data";
    }

    private record Timed<T>(T value, double seconds, double cpuSeconds) {
    }

    private static <T> Timed<T> time(java.util.concurrent.Callable<T> work) throws Exception {
        long started = System.nanoTime();
        long cpu = RescoreBenchmark.processCpuNanos();
        T value = work.call();
        return new Timed<>(value, (System.nanoTime() - started) / 1e9, (RescoreBenchmark.processCpuNanos() - cpu) / 1e9);
    }
}
