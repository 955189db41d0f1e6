package pql.bench;

import com.google.protobuf.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import pql.eventstore.AppendRequest;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.StreamIds;
import pql.load.SyntheticProductActions;
import pql.v1.EventEnvelope;
import pql.v1.ProductAction;
import pql.v1.TraceContext;

/**
 * The events every engine is measured with: product actions (the bulk of real traffic) of many
 * accounts, grouped in batches the way ingest-service groups a client batch: one append request
 * per account touched.
 */
final class Workload {

    final List<List<AppendRequest>> batches;
    final int events;

    private Workload(List<List<AppendRequest>> batches, int events) {
        this.batches = batches;
        this.events = events;
    }

    /**
     * @param tag        makes event ids unique per run, so a rerun on the same store is not all duplicates
     * @param perAccount consecutive events of one account in a batch: one append request each
     */
    static Workload generate(String tag, int totalEvents, int batchSize, int perAccount, int accounts, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<List<AppendRequest>> batches = new ArrayList<>();
        long eventNumber = 0;
        for (int produced = 0; produced < totalEvents; produced += batchSize) {
            List<AppendRequest> batch = new ArrayList<>();
            for (int inBatch = 0; inBatch < batchSize; inBatch += perAccount) {
                String account = "acct-" + random.nextInt(accounts);
                List<EventEnvelope> events = new ArrayList<>(perAccount);
                for (int i = 0; i < perAccount; i++) {
                    events.add(envelope(tag + "-" + eventNumber++, account, random));
                }
                batch.add(new AppendRequest(StreamIds.forAccount(account), ExpectedVersion.ANY, events));
            }
            batches.add(batch);
        }
        return new Workload(batches, (int) eventNumber);
    }

    private static EventEnvelope envelope(String eventId, String account, SplittableRandom random) {
        ProductAction action = SyntheticProductActions.action(random);
        long seconds = 1_767_225_600L + random.nextInt(7_776_000);
        return EventEnvelope.newBuilder()
                .setEventId(eventId)
                .setType("pql.v1.ProductAction")
                .setAccountId(account)
                .setOccurredAt(Timestamp.newBuilder().setSeconds(seconds))
                .setRecordedAt(Timestamp.newBuilder().setSeconds(seconds + 1))
                .setTraceContext(TraceContext.newBuilder()
                        .setTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
                .setPayload(action.toByteString())
                .setSchemaRevision(1)
                .build();
    }
}
