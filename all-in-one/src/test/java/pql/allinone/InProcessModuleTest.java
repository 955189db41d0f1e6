package pql.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import pql.allinone.support.FakeSuite;
import pql.common.ServiceModule;
import pql.common.telemetry.Telemetry;
import pql.v1.AccountScore;
import pql.v1.GetAccountScoreRequest;
import pql.v1.ScoringServiceGrpc;

/**
 * Issue #13: each module's calls run on threads of its own, named after the module and carrying
 * the priority the all-in-one gives that module (ingest the lowest, reads the highest), which
 * Linux honours under {@code -XX:ThreadPriorityPolicy=1}.
 */
class InProcessModuleTest {

    @Test
    void a_modules_calls_run_on_its_own_threads_at_its_priority() throws Exception {
        AtomicReference<Thread> callThread = new AtomicReference<>();
        InProcessModule low = new InProcessModule(recording("ingest", callThread), Telemetry.noop(), 1 << 20, Thread.MIN_PRIORITY);
        assertThat(callOn(low)).isEqualTo("x");
        assertThat(callThread.get().getName()).startsWith("grpc-ingest-");
        assertThat(callThread.get().getPriority()).isEqualTo(Thread.MIN_PRIORITY);

        InProcessModule high = new InProcessModule(recording("scoring", callThread), Telemetry.noop(), 1 << 20, Thread.MAX_PRIORITY);
        assertThat(callOn(high)).isEqualTo("x");
        assertThat(callThread.get().getName()).startsWith("grpc-scoring-");
        assertThat(callThread.get().getPriority()).isEqualTo(Thread.MAX_PRIORITY);
    }

    private static String callOn(InProcessModule module) throws Exception {
        module.start();
        ManagedChannel channel = module.channel();
        try {
            return ScoringServiceGrpc.newBlockingStub(channel).getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId("x").build())
                    .getAccountId();
        } finally {
            channel.shutdownNow();
            module.stopAccepting();
            module.awaitDrained();
        }
    }

    /** A module serving GetAccountScore, remembering the thread each call ran on. */
    private static ServiceModule recording(String name, AtomicReference<Thread> callThread) {
        ServerServiceDefinition scores = new ScoringServiceGrpc.ScoringServiceImplBase() {
            @Override
            public void getAccountScore(GetAccountScoreRequest request, StreamObserver<AccountScore> observer) {
                callThread.set(Thread.currentThread());
                observer.onNext(AccountScore.newBuilder().setAccountId(request.getAccountId()).build());
                observer.onCompleted();
            }
        }.bindService();
        return new FakeSuite.FakeModule(name, List.of(scores));
    }
}
