package pql.scoring.distributed;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamVersions;
import pql.eventstore.postgres.PostgresConnectionOptions;
import pql.eventstore.postgres.PostgresEventStore;
import pql.scoring.app.ScoringProjection;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.definition.DefinitionPresets;
import pql.scoring.domain.score.AccountState;
import pql.scoring.domain.score.ScoreEvaluator;
import pql.scoring.grpc.ScoreProtos;
import pql.scoring.testing.SampleHistory;
import pql.v1.AccountScore;
import pql.v1.GetAccountScoreRequest;
import pql.v1.ListAccountScoresRequest;
import pql.v1.ScoreView;
import pql.v1.ScoringServiceGrpc;
import pql.v1.StreamAccountScoresRequest;

/**
 * Scale-out with real processes: two scoring-service JVMs, started as the README starts them
 * ({@code ScoringServiceApp server config.yml}, settings from the environment), on one real PostgreSQL
 * store. They split the segments of the projection; one is killed with SIGKILL while it holds events
 * past its last checkpoint; the survivor takes its segments over; and every account's score equals a
 * single projection of the whole log computed here (events_applied included: nothing lost, nothing
 * counted twice).
 */
class ScaleOutProcessTest {

    /** Every score is compared at one instant after the whole history (and before the real clock). */
    private static final com.google.protobuf.Timestamp EVALUATED_AT = com.google.protobuf.Timestamp.newBuilder()
            .setSeconds(pql.scoring.testing.SampleHistory.AFTER_ALL_MILLIS / 1000).build();

    private static final int SEGMENTS = 4;
    private static final String PROCESSOR = "scoring-v1";
    private static final Pattern GLOBAL_INDEX = Pattern.compile("\"globalIndex\"\\s*:\\s*(\\d+)");

    @TempDir
    Path directory;

    private EmbeddedPostgres postgres;
    private PostgresEventStore store;
    private final List<Process> processes = new ArrayList<>();
    private final String schema = "scaleout_" + ProcessHandle.current().pid();
    /** Where claims, checkpoints and heartbeats live: the store's schema, or one of their own. */
    private String stateSchema = schema;
    private boolean separateSharedState;

    @AfterEach
    void tearDown() throws IOException {
        processes.forEach(Process::destroyForcibly);
        for (Process process : processes) {
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (store != null) {
            store.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private record Node(String id, Process process, int grpcPort, Path log) {
    }

    @Test
    void twoProcessesSplitTheAccountsAndTheSurvivorOfAKillTakesOverWithoutLosingOrDoubleCounting() throws Exception {
        splitKillAndTakeOver();
    }

    /**
     * The same with the shared state configured apart from the store ({@code distributed.sharedState.url}), as
     * compose runs it beside KurrentDB: claims, checkpoints and heartbeats in their own schema.
     */
    @Test
    void theSameWithTheSharedStateInAPostgresOfItsOwn() throws Exception {
        separateSharedState = true;
        stateSchema = "shared_state_" + ProcessHandle.current().pid();
        splitKillAndTakeOver();
        assertThat(tableExists(schema + ".scoring_token_entry")).as("nothing shared in the store's schema").isFalse();
    }

    private void splitKillAndTakeOver() throws Exception {
        postgres = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start();
        store = PostgresEventStore.open(PostgresConnectionOptions.of(postgres.getJdbcUrl("postgres", "postgres"),
                "postgres", "").withSchema(schema).withPoolSize(4));
        SampleHistory history = SampleHistory.generate(7, 160, 60);
        int phase1 = history.size() / 2;
        int phase2 = history.size() * 3 / 4;
        history.appendTo(store, 0, phase1, 100);

        // node-a checkpoints every 2 s; node-b only when it releases a segment: when it dies, its segments'
        // newest checkpoints are the ones node-a wrote when it handed them over, far behind what node-b applied
        Node a = start("node-a", "2s");
        awaitOwners("node-a holds every segment and caught up", Map.of("node-a", SEGMENTS), a);
        Node b = start("node-b", "1h");
        awaitOwners("the segments are split between the two", Map.of("node-a", 2, "node-b", 2), a, b);

        history.appendTo(store, phase1, phase2, 50);
        awaitOwners("both caught up with the new events", Map.of("node-a", 2, "node-b", 2), a, b);
        long accountsOnA = totalAccounts(a);
        long accountsOnB = totalAccounts(b);
        assertThat(accountsOnA).as("each process holds the accounts of its own segments").isPositive();
        assertThat(accountsOnB).isPositive();
        assertThat(accountsOnA + accountsOnB).isEqualTo(160);
        String accountOnB = anyAccount(b);
        assertThat(score(a, accountOnB)).as("a read of another process's account folds its stream")
                .isEqualTo(score(b, accountOnB));
        assertThat(checkpointsBehindTokensOf("node-b")).as("node-b holds events past its segments' checkpoints")
                .isPositive();

        new ProcessBuilder("kill", "-9", Long.toString(b.process().pid())).inheritIO().start().waitFor();
        assertThat(b.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        history.appendTo(store, phase2, history.size(), 50);

        awaitOwners("node-a took over node-b's segments and caught up", Map.of("node-a", SEGMENTS), a);
        assertThat(totalAccounts(a)).isEqualTo(160);
        Map<String, AccountScore> expected = referenceScores();
        // percentiles are rebuilt every 200 ms: give the survivor's distribution (now of every account) a moment
        Map<String, AccountScore> served = allScores(a);
        for (int attempt = 0; attempt < 50 && !served.equals(expected); attempt++) {
            Thread.sleep(200);
            served = allScores(a);
        }
        assertThat(served.keySet()).isEqualTo(expected.keySet());
        for (var entry : expected.entrySet()) {
            assertThat(served.get(entry.getKey())).as("score of %s", entry.getKey()).isEqualTo(entry.getValue());
        }
        long applied = served.values().stream().mapToLong(AccountScore::getEventsApplied).sum();
        assertThat(applied).as("every event counted once").isEqualTo(history.size());
    }

    private Node start(String nodeId, String checkpointInterval) throws IOException {
        int grpc = freePort();
        Path log = directory.resolve(nodeId + ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "-Ddw.scoring.distributed.claimInterval=300ms", "-Ddw.scoring.distributed.heartbeatInterval=300ms",
                "-Ddw.scoring.percentileRefresh=200ms", "-Ddw.logging.level=WARN",
                "pql.scoring.ScoringServiceApp", "server", Path.of("config.yml").toAbsolutePath().toString());
        Map<String, String> env = builder.environment();
        env.put("PQL_GRPC_PORT", Integer.toString(grpc));
        env.put("PQL_GRPC_HOST", "127.0.0.1");
        env.put("PQL_HTTP_PORT", Integer.toString(freePort()));
        env.put("PQL_HTTP_HOST", "127.0.0.1");
        env.put("PQL_ADMIN_PORT", Integer.toString(freePort()));
        env.put("PQL_EVENT_STORE_ENGINE", "postgres");
        env.put("PQL_POSTGRES_URL", postgres.getJdbcUrl("postgres", "postgres"));
        env.put("PQL_POSTGRES_USER", "postgres");
        env.put("PQL_POSTGRES_PASSWORD", "");
        env.put("PQL_POSTGRES_SCHEMA", schema);
        env.put("PQL_SCORING_DATA_DIR", directory.resolve(nodeId).toString());
        env.put("PQL_SCORING_SEGMENTS", Integer.toString(SEGMENTS));
        env.put("PQL_SCORING_CHECKPOINT_INTERVAL", checkpointInterval);
        env.put("PQL_SCORING_NODE_ID", nodeId);
        env.put("PQL_SCORING_CLAIM_TIMEOUT", "3s");
        if (separateSharedState) {
            env.put("PQL_SCORING_SHARED_STATE_URL", postgres.getJdbcUrl("postgres", "postgres"));
            env.put("PQL_SCORING_SHARED_STATE_USER", "postgres");
            env.put("PQL_SCORING_SHARED_STATE_SCHEMA", stateSchema);
        }
        env.put("PQL_SCORING_NODE_TIMEOUT", "2s");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = builder.start();
        processes.add(process);
        return new Node(nodeId, process, grpc, log);
    }

    /** Waits until the processor's segments are owned as given and every token is at the log head. */
    private void awaitOwners(String what, Map<String, Integer> owners, Node... alive) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Map<String, Integer> seen = Map.of();
        while (System.nanoTime() < deadline) {
            for (Node node : alive) {
                if (!node.process().isAlive()) {
                    throw new AssertionError(node.id() + " died:\n" + tail(node.log()));
                }
            }
            long head = store.headPosition();
            seen = ownersCaughtUpTo(head);
            if (seen.equals(owners)) {
                return;
            }
            Thread.sleep(200);
        }
        StringBuilder logs = new StringBuilder();
        for (Node node : alive) {
            logs.append("--- ").append(node.id()).append('\n').append(tail(node.log()));
        }
        throw new AssertionError("not within 60 s: " + what + "; owners at the head: " + seen + "\n" + logs);
    }

    /** Owner -> segments whose token is at {@code head}; segments behind count under "(behind)". */
    private Map<String, Integer> ownersCaughtUpTo(long head) throws SQLException {
        Map<String, Integer> owners = new TreeMap<>();
        if (!tableExists(stateSchema + ".scoring_token_entry")) {
            return owners;
        }
        try (Connection connection = connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT owner, token FROM " + stateSchema + ".scoring_token_entry WHERE processorname = ?")) {
            query.setString(1, PROCESSOR);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String owner = rows.getString(1);
                    long position = positionOf(rows.getBytes(2));
                    String key = owner == null ? "(unclaimed)" : position >= head ? owner : owner + " (behind)";
                    owners.merge(key, 1, Integer::sum);
                }
            }
        }
        return owners;
    }

    private boolean tableExists(String table) throws SQLException {
        try (Connection connection = connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT to_regclass(?) IS NOT NULL")) {
            query.setString(1, table);
            try (ResultSet row = query.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    /** Segments of {@code owner} whose checkpoint is older than the token it has stored since. */
    private int checkpointsBehindTokensOf(String owner) throws SQLException {
        Map<Integer, Long> checkpoints = new HashMap<>();
        try (Connection connection = connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT segment, position FROM " + stateSchema + ".scoring_checkpoint WHERE processor_name = ?")) {
            query.setString(1, PROCESSOR);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    checkpoints.put(rows.getInt(1), rows.getLong(2));
                }
            }
        }
        int behind = 0;
        try (Connection connection = connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT segment, token FROM " + stateSchema + ".scoring_token_entry WHERE processorname = ? AND owner = ?")) {
            query.setString(1, PROCESSOR);
            query.setString(2, owner);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    if (checkpoints.getOrDefault(rows.getInt(1), StreamVersions.BEFORE_FIRST_POSITION)
                            < positionOf(rows.getBytes(2))) {
                        behind++;
                    }
                }
            }
        }
        return behind;
    }

    private static long positionOf(byte[] token) {
        if (token == null) {
            return StreamVersions.BEFORE_FIRST_POSITION;
        }
        Matcher matcher = GLOBAL_INDEX.matcher(new String(token, StandardCharsets.UTF_8));
        return matcher.find() ? Long.parseLong(matcher.group(1)) : StreamVersions.BEFORE_FIRST_POSITION;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"));
    }

    private <T> T call(Node node, java.util.function.Function<ScoringServiceGrpc.ScoringServiceBlockingStub, T> call) {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", node.grpcPort()).usePlaintext().build();
        try {
            return call.apply(ScoringServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS));
        } finally {
            channel.shutdownNow();
        }
    }

    private long totalAccounts(Node node) {
        return call(node, stub -> stub.listAccountScores(ListAccountScoresRequest.newBuilder().setPageSize(1).build())
                .getTotalSize());
    }

    private String anyAccount(Node node) {
        return call(node, stub -> stub.listAccountScores(ListAccountScoresRequest.newBuilder().setPageSize(1).build())
                .getScores(0).getAccountId());
    }

    private AccountScore score(Node node, String accountId) {
        return withoutRanking(call(node, stub -> stub.getAccountScore(
                GetAccountScoreRequest.newBuilder().setAccountId(accountId).setAsOf(EVALUATED_AT).build())));
    }

    private Map<String, AccountScore> allScores(Node node) {
        return call(node, stub -> {
            Map<String, AccountScore> scores = new TreeMap<>();
            stub.streamAccountScores(StreamAccountScoresRequest.newBuilder().setView(ScoreView.SCORE_VIEW_FULL)
                            .setAsOf(EVALUATED_AT).build())
                    .forEachRemaining(chunk -> chunk.getScoresList()
                            .forEach(score -> scores.put(score.getAccountId(), score)));
            return scores;
        });
    }

    /** One projection of the whole log, in this JVM. */
    private Map<String, AccountScore> referenceScores() {
        ScoringProjection reference = new ScoringProjection(new CompiledDefinition(1,
                DefinitionPresets.forComplexity(ProductComplexity.INTERMEDIATE)));
        long after = StreamVersions.BEFORE_FIRST_POSITION;
        List<StoredEvent> page;
        while (!(page = store.readAll(after, 1000)).isEmpty()) {
            page.forEach(reference::apply);
            after = page.get(page.size() - 1).globalPosition();
        }
        long at = EVALUATED_AT.getSeconds() * 1000;
        var percentiles = reference.viewAt(at).percentiles();
        Map<String, AccountScore> scores = new TreeMap<>();
        for (AccountState state : reference.accounts()) {
            scores.put(state.accountId(), ScoreProtos.toProto(
                    ScoreEvaluator.evaluate(state, at, percentiles::ofMember, true)));
        }
        return scores;
    }

    /**
     * A score without its engagement percentile: a process ranks an account among the accounts it holds,
     * so two processes rank the same score differently (the field, and the explanation's factor and text).
     */
    private static AccountScore withoutRanking(AccountScore score) {
        AccountScore.Builder builder = score.toBuilder();
        var engagement = builder.getEngagementBuilder().clearPercentile();
        var explanation = engagement.getExplanationBuilder();
        explanation.setText(explanation.getText().replaceAll("; percentile [0-9.]+ among .*$", ""));
        for (int i = explanation.getFactorsCount() - 1; i >= 0; i--) {
            if (explanation.getFactors(i).getName().equals("percentile")) {
                explanation.removeFactors(i);
            }
        }
        return builder.build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
