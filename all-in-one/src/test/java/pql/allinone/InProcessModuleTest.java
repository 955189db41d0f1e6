package pql.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import com.google.common.util.concurrent.ListenableFuture;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
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
 * Linux honours under {@code -XX:ThreadPriorityPolicy=1}; ingest's at most one per core, however
 * many calls arrive (they queue), so a flood of clients is not a crowd of runnable threads.
 */
class InProcessModuleTest {

    @Test
    void a_modules_calls_run_on_its_own_threads_at_its_priority() throws Exception {
        AtomicReference<Thread> callThread = new AtomicReference<>();
        InProcessModule low = new InProcessModule(recording("ingest", callThread), Telemetry.noop(), 1 << 20, Thread.MIN_PRIORITY, 2);
        assertThat(callOn(low)).isEqualTo("x");
        assertThat(callThread.get().getName()).startsWith("grpc-ingest-");
        assertThat(callThread.get().getPriority()).isEqualTo(Thread.MIN_PRIORITY);

        InProcessModule high = new InProcessModule(recording("scoring", callThread), Telemetry.noop(), 1 << 20, Thread.MAX_PRIORITY, 0);
        assertThat(callOn(high)).isEqualTo("x");
        assertThat(callThread.get().getName()).startsWith("grpc-scoring-");
        assertThat(callThread.get().getPriority()).isEqualTo(Thread.MAX_PRIORITY);
    }

    @Test
    void a_module_with_a_bound_on_call_threads_queues_the_calls_beyond_it_and_answers_them_all() throws Exception {
        Set<String> threadNames = ConcurrentHashMap.newKeySet();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        ServerServiceDefinition slow = new ScoringServiceGrpc.ScoringServiceImplBase() {
            @Override
            public void getAccountScore(GetAccountScoreRequest request, StreamObserver<AccountScore> observer) {
                threadNames.add(Thread.currentThread().getName());
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                running.decrementAndGet();
                observer.onNext(AccountScore.newBuilder().setAccountId(request.getAccountId()).build());
                observer.onCompleted();
            }
        }.bindService();
        InProcessModule bounded = new InProcessModule(new FakeSuite.FakeModule("ingest", List.of(slow)), Telemetry.noop(), 1 << 20,
                Thread.MIN_PRIORITY, 2);
        bounded.start();
        ManagedChannel channel = bounded.channel();
        try {
            ScoringServiceGrpc.ScoringServiceFutureStub stub = ScoringServiceGrpc.newFutureStub(channel);
            List<ListenableFuture<AccountScore>> calls = IntStream.range(0, 30)
                    .mapToObj(i -> stub.getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId("a" + i).build())).toList();
            for (int i = 0; i < calls.size(); i++) {
                assertThat(calls.get(i).get(10, TimeUnit.SECONDS).getAccountId()).isEqualTo("a" + i);
            }
        } finally {
            channel.shutdownNow();
            bounded.stopAccepting();
            bounded.awaitDrained();
        }
        assertThat(threadNames).hasSizeLessThanOrEqualTo(2).allSatisfy(name -> assertThat(name).startsWith("grpc-ingest-"));
        assertThat(mostAtOnce.get()).isEqualTo(2);
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
