package pql.scoring.bench;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamIds;
import pql.scoring.app.ScoringProjection;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.definition.DefinitionPresets;
import pql.scoring.domain.score.AccountState;
import pql.scoring.domain.score.AccountSummary;
import pql.scoring.domain.score.CohortPercentiles;
import pql.v1.EventEnvelope;

/**
 * What one evaluation instant per answer costs (issue #11): a projection of the benchmark history is
 * built in memory, then every account is evaluated at a new instant (the view a list, export or
 * forecast of "now" builds once per second), against the baseline of the same run: the summaries of
 * each account's newest event and their distribution, which is what current reads used to build. Then
 * the clock ticks over the quiet months after the history, a day at a time, and the timer wheel
 * applies the time-driven changes due.
 *
 * <pre>
 * ./mvnw -q -pl scoring-service -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt \
 *   -Dmdep.includeScope=test
 * java -Xmx2g -cp scoring-service/target/test-classes:scoring-service/target/classes:$(cat /tmp/cp.txt) \
 *   pql.scoring.bench.EvaluationInstantBenchmark 100000 30
 * </pre>
 */
public final class EvaluationInstantBenchmark {

    private static final long DAY = 86_400_000L;

    private EvaluationInstantBenchmark() {
    }

    public static void main(String[] args) {
        int accounts = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int perAccount = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        CompiledDefinition definition = new CompiledDefinition(1,
                DefinitionPresets.forComplexity(ProductComplexity.INTERMEDIATE));
        ScoringProjection projection = new ScoringProjection(definition);
        long position = 0;
        for (int round = 0; round < perAccount; round++) {
            for (int account = 0; account < accounts; account++) {
                EventEnvelope event = BenchmarkHistory.event(account, round, perAccount);
                projection.apply(new StoredEvent(StreamIds.forAccount(event.getAccountId()), round, ++position, event));
            }
        }
        long newest = projection.newestEventAt();
        System.out.printf(Locale.ROOT, "%,d accounts, %,d events; %d cores%n", accounts, position,
                Runtime.getRuntime().availableProcessors());

        var cohort = definition.definition().engagement().cohort();
        int runs = 7;
        double[] baseline = new double[runs];
        double[] atInstant = new double[runs];
        double[] baselineCpu = new double[runs];
        double[] atInstantCpu = new double[runs];
        for (int run = 0; run < runs; run++) {
            long cpu = cpuNanos();
            long start = System.nanoTime();
            java.util.List<AccountSummary> summaries = new java.util.ArrayList<>(accounts);
            for (AccountState state : projection.accounts()) {
                summaries.add(state.summaryAt(cohort, state.newestEventAt()));
            }
            CohortPercentiles.of(summaries);
            baseline[run] = (System.nanoTime() - start) / 1e6;
            baselineCpu[run] = (cpuNanos() - cpu) / 1e6;

            cpu = cpuNanos();
            start = System.nanoTime();
            projection.viewAt(newest + (run + 1) * 1000L); // a new second each time: never the cached view
            atInstant[run] = (System.nanoTime() - start) / 1e6;
            atInstantCpu[run] = (cpuNanos() - cpu) / 1e6;
        }
        double base = median(baseline);
        double view = median(atInstant);
        System.out.printf(Locale.ROOT, "view of every account at each one's newest event (baseline): median %.1f ms, CPU %.1f ms%n",
                base, median(baselineCpu));
        System.out.printf(Locale.ROOT, "view of every account at one new instant:                   median %.1f ms, CPU %.1f ms (%.2fx the baseline)%n",
                view, median(atInstantCpu), view / base);
        System.out.printf(Locale.ROOT, "  per account: %.2f us%n", view * 1000 / accounts);

        int armed = projection.statusTimersPending();
        long cpu = cpuNanos();
        long start = System.nanoTime();
        int changes = 0;
        int ticks = 0;
        for (long now = newest; now <= newest + 90 * DAY; now += DAY) {
            changes += projection.applyStatusTimers(now);
            ticks++;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "timer wheel: %,d accounts armed; %d daily ticks over 90 quiet days: %,d time-driven"
                + " transitions in %.2f s, CPU %.2f s (%.2f us CPU per transition); %,d armed after%n",
                armed, ticks, changes, seconds, (cpuNanos() - cpu) / 1e9, (cpuNanos() - cpu) / 1e3 / Math.max(1, changes),
                projection.statusTimersPending());
    }

    private static long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
