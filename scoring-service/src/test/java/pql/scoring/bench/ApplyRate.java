package pql.scoring.bench;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import pql.eventstore.LogRecord;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamIds;
import pql.scoring.app.ScoringProjection;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.definition.DefinitionPresets;
import pql.scoring.wire.ProductActionReader;
import pql.v1.EventEnvelope;

/**
 * CPU per event of the projection's apply, on one thread with the events decoded ahead (no store, no
 * Axon): the projection's own cost, best of 5 runs. Run it on two checkouts to compare a change. With a
 * third argument {@code records}, the events are handed over as a replay reads them: {@link LogRecord}s
 * over the serialized envelopes, read with one {@link ProductActionReader} (the envelope read included).
 *
 * <pre>
 * ./mvnw -q -pl scoring-service -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt \
 *   -Dmdep.includeScope=test
 * java -Xmx3g -cp scoring-service/target/test-classes:scoring-service/target/classes:$(cat /tmp/cp.txt) \
 *   pql.scoring.bench.ApplyRate 50000 40 [records]
 * </pre>
 */
public final class ApplyRate {
    public static void main(String[] args) {
        int accounts = Integer.parseInt(args[0]);
        int perAccount = Integer.parseInt(args[1]);
        boolean records = args.length > 2 && args[2].equals("records");
        java.util.List<StoredEvent> events = new java.util.ArrayList<>();
        java.util.List<LogRecord> serialized = new java.util.ArrayList<>();
        long position = 0;
        for (int round = 0; round < perAccount; round++) {
            for (int account = 0; account < accounts; account++) {
                EventEnvelope event = BenchmarkHistory.event(account, round, perAccount);
                String stream = StreamIds.forAccount(event.getAccountId());
                events.add(new StoredEvent(stream, round, ++position, event));
                if (records) {
                    serialized.add(record(stream, round, position, event));
                }
            }
        }
        double best = Double.MAX_VALUE;
        for (int run = 0; run < 5; run++) {
            ScoringProjection projection = new ScoringProjection(new CompiledDefinition(1,
                    DefinitionPresets.forComplexity(ProductComplexity.INTERMEDIATE)));
            ProductActionReader reader = new ProductActionReader(projection.definition());
            long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            if (records) {
                for (LogRecord record : serialized) {
                    projection.apply(record, reader);
                }
            } else {
                for (StoredEvent event : events) {
                    projection.apply(event);
                }
            }
            double us = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu) / 1e3 / events.size();
            best = Math.min(best, us);
            System.out.printf(Locale.ROOT, "run %d: %.3f us CPU per event%n", run, us);
        }
        System.out.printf(Locale.ROOT, "best: %.3f us CPU per event (%,d events%s)%n", best, events.size(),
                records ? ", read from serialized records" : "");
    }

    /** The event as the embedded store keeps it: stream id bytes, then the serialized envelope. */
    private static LogRecord record(String stream, long version, long position, EventEnvelope event) {
        byte[] streamBytes = stream.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] envelope = event.toByteArray();
        byte[] bytes = java.util.Arrays.copyOf(streamBytes, streamBytes.length + envelope.length);
        System.arraycopy(envelope, 0, bytes, streamBytes.length, envelope.length);
        return LogRecord.serialized(position, version, bytes, 0, streamBytes.length, streamBytes.length, envelope.length);
    }
}
