package pql.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import pql.v1.Event;
import pql.v1.EventResult;
import pql.v1.IngestServiceGrpc;
import pql.v1.IngestStreamRequest;
import pql.v1.IngestStreamResponse;

/** The shared flow-controlled IngestStream sender against an in-process fake ingest service. */
class IngestStreamsTest {

    /** Accepts every event (or rejects those whose id starts with "bad"), remembering what came on which call. */
    private static final class FakeIngest extends IngestServiceGrpc.IngestServiceImplBase {
        final List<List<IngestStreamRequest>> calls = Collections.synchronizedList(new ArrayList<>());

        @Override
        public StreamObserver<IngestStreamRequest> ingestStream(StreamObserver<IngestStreamResponse> responses) {
            List<IngestStreamRequest> chunks = Collections.synchronizedList(new ArrayList<>());
            calls.add(chunks);
            return new StreamObserver<>() {
                @Override
                public void onNext(IngestStreamRequest chunk) {
                    chunks.add(chunk);
                    IngestStreamResponse.Builder answer = IngestStreamResponse.newBuilder().setSequence(chunk.getSequence());
                    for (int i = 0; i < chunk.getEventsCount(); i++) {
                        boolean bad = chunk.getEvents(i).getEventId().startsWith("bad");
                        answer.addResults(EventResult.newBuilder().setIndex(i).setEventId(chunk.getEvents(i).getEventId())
                                .setStatus(bad ? EventResult.Status.STATUS_REJECTED : EventResult.Status.STATUS_ACCEPTED));
                        if (bad) {
                            answer.setRejected(answer.getRejected() + 1);
                        } else {
                            answer.setAccepted(answer.getAccepted() + 1);
                        }
                    }
                    responses.onNext(answer.build());
                }

                @Override
                public void onError(Throwable error) {
                }

                @Override
                public void onCompleted() {
                    responses.onCompleted();
                }
            };
        }
    }

    private final FakeIngest ingest = new FakeIngest();
    private Server server;
    private ManagedChannel channel;

    private IngestServiceGrpc.IngestServiceStub start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).addService(ingest).build().start();
        channel = InProcessChannelBuilder.forName(name).build();
        return IngestServiceGrpc.newStub(channel);
    }

    @AfterEach
    void stop() {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (server != null) {
            server.shutdownNow();
        }
    }

    @Test
    void dealsTheChunksRoundRobinOverTheStreamsNumberedFromOneOnEachAndCountsWhatWasAccepted() throws Exception {
        IngestWorkload workload = new IngestWorkload("t", 1000, 100, 10);

        long accepted = IngestStreams.send(start(), 3, workload.batches(), workload::streamChunk);

        assertThat(accepted).isEqualTo(1000);
        assertThat(ingest.calls).hasSize(3);
        List<Integer> sizes = ingest.calls.stream().map(List::size).sorted().toList();
        assertThat(sizes).containsExactly(3, 3, 4);
        for (List<IngestStreamRequest> call : ingest.calls) {
            assertThat(call.stream().map(IngestStreamRequest::getSequence).toList())
                    .isEqualTo(java.util.stream.LongStream.rangeClosed(1, call.size()).boxed().toList());
        }
    }

    @Test
    void aRejectedEventFailsTheLoad() throws Exception {
        IngestStreamRequest bad = IngestStreamRequest.newBuilder()
                .addEvents(Event.newBuilder().setEventId("bad-1").setAccountId("a")).build();

        assertThatThrownBy(() -> IngestStreams.send(start(), 1, 2, (index, sequence) -> bad.toBuilder().setSequence(sequence).build()))
                .isInstanceOf(IllegalStateException.class)
                .hasRootCauseMessage("rejected " + ingestResultOf("bad-1"));
    }

    private static EventResult ingestResultOf(String eventId) {
        return EventResult.newBuilder().setIndex(0).setEventId(eventId).setStatus(EventResult.Status.STATUS_REJECTED).build();
    }
}
