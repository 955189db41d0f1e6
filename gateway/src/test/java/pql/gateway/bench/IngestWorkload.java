package pql.gateway.bench;

import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import pql.v1.Event;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestEventRequest;
import pql.v1.IngestStreamRequest;
import pql.v1.ProductAction;

/**
 * The events of one measurement, as ingest-service's own benchmark sends them: product actions
 * (the bulk of real traffic) in batches where each account of 100,000 drawn gets
 * {@code perAccount} consecutive events (10 by default: a batch of 500 touches 50 accounts, as a
 * client buffering its active accounts would; 1 makes every event its own store stream, the
 * store's worst case). Requests are built before the clock starts.
 */
final class IngestWorkload {

    private static final String[] ACTIONS = {"report_created", "invoice_submitted", "message_sent", "user_invited",
        "dashboard_viewed", "integration_connected", "login", "export_downloaded"};

    private final List<List<Event>> batches;

    private IngestWorkload(List<List<Event>> batches) {
        this.batches = batches;
    }

    /** @param tag makes the event ids of this measurement unique */
    static IngestWorkload of(String tag, int events, int batchSize, int perAccount) {
        SplittableRandom random = new SplittableRandom(tag.hashCode());
        long nowSeconds = Instant.now().getEpochSecond();
        List<List<Event>> batches = new ArrayList<>();
        long eventNumber = 0;
        for (int produced = 0; produced < events; produced += batchSize) {
            List<Event> batch = new ArrayList<>(batchSize);
            while (batch.size() < batchSize && produced + batch.size() < events) {
                String account = "acct-" + random.nextInt(100_000);
                for (int i = 0; i < perAccount && batch.size() < batchSize; i++) {
                    batch.add(Event.newBuilder()
                            .setEventId(tag + "-" + eventNumber++)
                            .setAccountId(account)
                            .setOccurredAt(Timestamp.newBuilder().setSeconds(nowSeconds - random.nextInt(7_776_000)))
                            .setProductAction(ProductAction.newBuilder()
                                    .setUserId("user-" + random.nextInt(8))
                                    .setAction(ACTIONS[random.nextInt(ACTIONS.length)])
                                    .setQuantity(1 + random.nextInt(3))
                                    .putProperties("plan", "trial")
                                    .putProperties("client", random.nextBoolean() ? "web" : "ios"))
                            .build());
                }
            }
            batches.add(batch);
        }
        return new IngestWorkload(batches);
    }

    int events() {
        return batches.stream().mapToInt(List::size).sum();
    }

    List<IngestBatchRequest> batchRequests() {
        return batches.stream().map(batch -> IngestBatchRequest.newBuilder().addAllEvents(batch).build()).toList();
    }

    /** The chunks dealt round-robin over {@code streams} streams, sequence numbers per stream. */
    List<List<IngestStreamRequest>> streamRequests(int streams) {
        List<List<IngestStreamRequest>> perStream = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            perStream.add(new ArrayList<>());
        }
        for (int i = 0; i < batches.size(); i++) {
            List<IngestStreamRequest> stream = perStream.get(i % streams);
            stream.add(IngestStreamRequest.newBuilder().setSequence(stream.size() + 1).addAllEvents(batches.get(i)).build());
        }
        return perStream;
    }

    List<IngestEventRequest> eventRequests() {
        List<IngestEventRequest> requests = new ArrayList<>(events());
        batches.forEach(batch -> batch.forEach(event -> requests.add(IngestEventRequest.newBuilder().setEvent(event).build())));
        return requests;
    }
}
