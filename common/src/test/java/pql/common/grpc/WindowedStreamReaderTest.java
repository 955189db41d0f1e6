package pql.common.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WindowedStreamReaderTest {

    /** Counts up to the requested number; a negative request fails after -n messages. */
    private static final MethodDescriptor<Integer, Integer> COUNT = MethodDescriptor.<Integer, Integer>newBuilder()
            .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
            .setFullMethodName("test.Counter/Count")
            .setRequestMarshaller(new IntMarshaller())
            .setResponseMarshaller(new IntMarshaller())
            .build();

    private final AtomicInteger sent = new AtomicInteger();
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws IOException {
        String name = InProcessServerBuilder.generateName();
        ServerServiceDefinition counter = ServerServiceDefinition.builder("test.Counter")
                .addMethod(COUNT, ServerCalls.asyncServerStreamingCall((Integer request, io.grpc.stub.StreamObserver<Integer> responses) -> {
                    ServerCallStreamObserver<Integer> observer = (ServerCallStreamObserver<Integer>) responses;
                    observer.setOnCancelHandler(cancelled::countDown);
                    int total = Math.abs(request);
                    int[] next = {0};
                    boolean[] done = {false};
                    observer.setOnReadyHandler(() -> {
                        while (observer.isReady() && next[0] < total) {
                            observer.onNext(next[0]++);
                            sent.incrementAndGet();
                        }
                        if (next[0] == total && !done[0] && !observer.isCancelled()) {
                            done[0] = true;
                            if (request < 0) {
                                observer.onError(Status.FAILED_PRECONDITION.withDescription("broke at " + total).asRuntimeException());
                            } else {
                                observer.onCompleted();
                            }
                        }
                    });
                }))
                .build();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(counter).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void readsEveryMessageInOrder() {
        List<Integer> read = new ArrayList<>();
        try (WindowedStreamReader<Integer> reader = WindowedStreamReader.start(new Stub(channel), COUNT, 10_000, 64)) {
            reader.forEachRemaining(read::add);
        }
        assertThat(read).hasSize(10_000);
        for (int i = 0; i < read.size(); i++) {
            assertThat(read.get(i)).isEqualTo(i);
        }
    }

    @Test
    void theServerNeverRunsMoreThanTheWindowAhead() {
        WindowedStreamReader<Integer> reader = WindowedStreamReader.start(new Stub(channel), COUNT, 1_000, 16);
        assertThat(reader).hasNext();
        // direct executors: whatever the server was allowed to send has been sent by now
        assertThat(sent.get()).isBetween(1, 16);
        for (int i = 0; i < 100; i++) {
            reader.next();
            assertThat(sent.get() - (i + 1)).isLessThanOrEqualTo(16);
        }
        assertThat(sent.get()).isGreaterThan(100);
        reader.close();
    }

    @Test
    void aFailedStreamThrowsItsStatusAfterTheMessagesBeforeIt() {
        WindowedStreamReader<Integer> reader = WindowedStreamReader.start(new Stub(channel), COUNT, -5, 4);
        List<Integer> read = new ArrayList<>();
        assertThatThrownBy(() -> reader.forEachRemaining(read::add))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription()).isEqualTo("broke at 5");
                });
        assertThat(read).containsExactly(0, 1, 2, 3, 4);
        assertThat(reader.hasNext()).isFalse();
    }

    @Test
    void closingEarlyCancelsTheServerSide() throws InterruptedException {
        WindowedStreamReader<Integer> reader = WindowedStreamReader.start(new Stub(channel), COUNT, 1_000_000, 8);
        assertThat(reader.next()).isZero();
        reader.close();
        assertThat(cancelled.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(reader.hasNext()).isFalse();
    }

    @Test
    void refusesWhatIsNotAServerStream() {
        MethodDescriptor<Integer, Integer> unary = COUNT.toBuilder().setType(MethodDescriptor.MethodType.UNARY).build();
        assertThatThrownBy(() -> WindowedStreamReader.start(new Stub(channel), unary, 1, 8))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WindowedStreamReader.start(new Stub(channel), COUNT, 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static final class Stub extends AbstractStub<Stub> {
        Stub(Channel channel) {
            super(channel);
        }

        private Stub(Channel channel, CallOptions options) {
            super(channel, options);
        }

        @Override
        protected Stub build(Channel channel, CallOptions options) {
            return new Stub(channel, options);
        }
    }

    private static final class IntMarshaller implements MethodDescriptor.Marshaller<Integer> {
        @Override
        public InputStream stream(Integer value) {
            return new ByteArrayInputStream(ByteBuffer.allocate(4).putInt(value).array());
        }

        @Override
        public Integer parse(InputStream stream) {
            try {
                return ByteBuffer.wrap(stream.readAllBytes()).getInt();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
