package pql.scoring.bench;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamIds;
import pql.scoring.app.ScoringProjection;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.definition.DefinitionPresets;
import pql.v1.EventEnvelope;

/**
 * CPU per event of the projection's apply, on one thread with the events decoded ahead (no store, no
 * Axon): the projection's own cost, best of 5 runs. Run it on two checkouts to compare a change.
 *
 * <pre>
 * ./mvnw -q -pl scoring-service -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt \
 *   -Dmdep.includeScope=test
 * java -Xmx3g -cp scoring-service/target/test-classes:scoring-service/target/classes:$(cat /tmp/cp.txt) \
 *   pql.scoring.bench.ApplyRate 50000 40
 * </pre>
 */
public final class ApplyRate {
    public static void main(String[] args) {
        int accounts = Integer.parseInt(args[0]);
        int perAccount = Integer.parseInt(args[1]);
        java.util.List<StoredEvent> events = new java.util.ArrayList<>();
        long position = 0;
        for (int round = 0; round < perAccount; round++) {
            for (int account = 0; account < accounts; account++) {
                EventEnvelope event = BenchmarkHistory.event(account, round, perAccount);
                events.add(new StoredEvent(StreamIds.forAccount(event.getAccountId()), round, ++position, event));
            }
        }
        double best = Double.MAX_VALUE;
        for (int run = 0; run < 5; run++) {
            ScoringProjection projection = new ScoringProjection(new CompiledDefinition(1,
                    DefinitionPresets.forComplexity(ProductComplexity.INTERMEDIATE)));
            long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            for (StoredEvent event : events) {
                projection.apply(event);
            }
            double us = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu) / 1e3 / events.size();
            best = Math.min(best, us);
            System.out.printf(Locale.ROOT, "run %d: %.3f us CPU per event%n", run, us);
        }
        System.out.printf(Locale.ROOT, "best: %.3f us CPU per event (%,d events)%n", best, events.size());
    }
}
