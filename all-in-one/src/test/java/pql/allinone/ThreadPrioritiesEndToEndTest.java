package pql.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallCredentials;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.allinone.support.RunningAllInOne;
import pql.gateway.support.RunningGateway;
import pql.load.IngestWorkload;
import pql.v1.GetAccountScoreRequest;
import pql.v1.IngestServiceGrpc;
import pql.v1.ScoringServiceGrpc;

/**
 * Issue #13, finding 7 (score reads under an ingest flood): every thread an ingest flood keeps
 * busy runs at the lowest Java priority, the read path's at the highest, and ingest's calls run on
 * at most one thread per core. Under {@code -XX:ThreadPriorityPolicy=1} Linux turns these into
 * nice values, so a read's thread gets a core before the flood's; before this change the store's
 * writers, the projection and ingest's completions ran at normal priority and ingest's calls on
 * as many threads as calls (one runnable thread per flooding client).
 */
class ThreadPrioritiesEndToEndTest {

    /** Thread name prefixes of the work an ingest flood causes, in every module; those always started first. */
    private static final List<String> FLOOD_DRIVEN = List.of("store-sequencer", "store-committer", "scoring-v1-worker-",
            "scoring-v1-coordinator-", "ingest-completion-", "grpc-ingest-", "scoring-v1-log-reader-", "scoring-maintenance",
            "scoring-known-at", "scoring-knowledge-snapshots", "scoring-watch-fanout");
    private static final int ALWAYS_STARTED = 6;
    /** Thread name prefixes of a score read's way through the all-in-one. */
    private static final List<String> READ_PATH = List.of("gateway-read-", "grpc-scoring-", "gateway-grpc-io-");

    @TempDir
    Path directory;

    @Test
    void theThreadsAnIngestFloodKeepsBusyRunAtTheLowestPriorityAndTheReadPathAtTheHighest() throws Exception {
        try (RunningAllInOne allInOne = new RunningAllInOne(new SuiteModules(), directory,
                Map.of("sampleData.loadOnFirstStart", "false"))) {
            CallCredentials key = RunningGateway.bearer(allInOne.localKey());
            IngestWorkload workload = new IngestWorkload("priorities", 640, 40, 5);
            IngestServiceGrpc.IngestServiceFutureStub ingest = IngestServiceGrpc.newFutureStub(allInOne.channel())
                    .withCallCredentials(key);
            // concurrent calls, as from many clients: each may not get a thread of its own
            var calls = java.util.stream.IntStream.range(0, 16).mapToObj(i -> ingest.ingestBatch(workload.batchRequest(i))).toList();
            for (var call : calls) {
                call.get(30, TimeUnit.SECONDS);
            }
            String account = workload.batch(0).get(0).getAccountId();
            ScoringServiceGrpc.ScoringServiceBlockingStub scores = ScoringServiceGrpc.newBlockingStub(allInOne.channel())
                    .withCallCredentials(key);
            awaitScore(scores, account);

            Set<Thread> threads = Thread.getAllStackTraces().keySet();
            for (String prefix : FLOOD_DRIVEN) {
                List<Thread> named = named(threads, prefix);
                if (FLOOD_DRIVEN.indexOf(prefix) < ALWAYS_STARTED) {
                    assertThat(named).as(prefix + " threads").isNotEmpty();
                }
                assertThat(named).allSatisfy(thread -> assertThat(thread.getPriority()).as(thread.getName()).isEqualTo(Thread.MIN_PRIORITY));
            }
            for (String prefix : READ_PATH) {
                assertThat(named(threads, prefix)).as(prefix + " threads").isNotEmpty()
                        .allSatisfy(thread -> assertThat(thread.getPriority()).as(thread.getName()).isEqualTo(Thread.MAX_PRIORITY));
            }
            // one all-in-one in this JVM at a time here, but other tests' may linger: count this one's by its calls
            assertThat(named(threads, "grpc-ingest-").stream().filter(Thread::isAlive).count())
                    .isLessThanOrEqualTo(Runtime.getRuntime().availableProcessors() * (long) runningAllInOnes(threads));
        }
    }

    private static void awaitScore(ScoringServiceGrpc.ScoringServiceBlockingStub scores, String account) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                scores.getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId(account).build());
                return;
            } catch (io.grpc.StatusRuntimeException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(50);
            }
        }
    }

    private static List<Thread> named(Set<Thread> threads, String prefix) {
        return threads.stream().filter(thread -> thread.getName().startsWith(prefix)).collect(Collectors.toList());
    }

    /** How many all-in-ones have a store in this JVM (each has one store-sequencer). */
    private static int runningAllInOnes(Set<Thread> threads) {
        return Math.max(1, named(threads, "store-sequencer").size());
    }
}
