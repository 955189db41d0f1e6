package pql.allinone.segment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.segment.analytics.Analytics;
import com.segment.analytics.Callback;
import com.segment.analytics.messages.GroupMessage;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.Message;
import com.segment.analytics.messages.TrackMessage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.allinone.SuiteModules;
import pql.allinone.support.RunningAllInOne;
import pql.gateway.auth.ApiKeys;
import pql.gateway.support.RunningGateway;
import pql.v1.AccountScore;
import pql.v1.GetAccountScoreRequest;
import pql.v1.IngestError;
import pql.v1.IngestErrorServiceGrpc;
import pql.v1.ListIngestErrorsRequest;
import pql.v1.OpportunitySize;
import pql.v1.Plan;
import pql.v1.ScoringServiceGrpc;

/**
 * Issue #17 through the real all-in-one: the real Segment Java client (analytics-java 3.5.1, which
 * posts batches to /v1/import with the write key in the body) sends group / identify / track for
 * three accounts and their scores show them; then raw HTTP for every limit and malformed input, and
 * the rejected items in IngestErrorService.
 */
class SegmentSourceEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ACCOUNTS = List.of("seg-acme", "seg-globex", "seg-initech");
    private static final int REPORTS = 5;

    @TempDir
    static Path directory;
    static RunningAllInOne allInOne;
    static String ingester;
    static String reader;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        ingester = ApiKeys.generate();
        reader = ApiKeys.generate();
        String bundled = Files.readString(RunningAllInOne.bundledConfig());
        assertThat(bundled).contains("  apiKeys: []\n");
        Path config = directory.resolve("config-with-keys.yml");
        Files.writeString(config, bundled.replace("  apiKeys: []\n", """
                  apiKeys:
                    - {name: segment-prod, sha256: %s, scopes: [ingest:write]}
                    - {name: reader, sha256: %s, scopes: [scores:read]}
                """.formatted(ApiKeys.sha256Hex(ingester), ApiKeys.sha256Hex(reader))));
        allInOne = new RunningAllInOne(new SuiteModules(), directory, Map.of("sampleData.loadOnFirstStart", "false"), config);
    }

    @AfterAll
    static void stop() throws Exception {
        if (allInOne != null) {
            allInOne.close();
        }
    }

    @Test
    void theSegmentJavaClientsGroupIdentifyAndTrackShowInTheAccountsScores() throws Exception {
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger succeeded = new AtomicInteger();
        Analytics analytics = Analytics.builder(ingester)
                .endpoint("http://127.0.0.1:" + allInOne.app().httpPort())
                .flushQueueSize(7)
                .flushInterval(1, TimeUnit.SECONDS)
                .callback(new Callback() {
                    @Override
                    public void success(Message message) {
                        succeeded.incrementAndGet();
                    }

                    @Override
                    public void failure(Message message, Throwable throwable) {
                        failures.add(throwable);
                    }
                })
                .build();
        Instant now = Instant.now();
        int sent = 0;
        for (String account : ACCOUNTS) {
            analytics.enqueue(GroupMessage.builder(account).userId(account + "-u1").traits(Map.of(
                    "name", "Account " + account, "plan", "trial", "deal_size", 24000, "opportunity_size", "mid",
                    "trial_start", now.minus(Duration.ofDays(3)).toString(), "trial_end", now.plus(Duration.ofDays(11)).toString(),
                    "industry", "software")));
            analytics.enqueue(IdentifyMessage.builder().userId(account + "-u1")
                    .context(Map.of("groupId", account)).traits(Map.of("email", account + "@example.com")));
            sent += 2;
            for (int i = 0; i < REPORTS; i++) {
                analytics.enqueue(TrackMessage.builder("Report Created").userId(account + "-u1")
                        .context(Map.of("groupId", account)).properties(Map.of("quantity", 2)));
                sent++;
            }
        }
        // no account anywhere: answered 200 with the batch, rejected on its own and listed
        analytics.enqueue(TrackMessage.builder("Report Created").userId("nobody").messageId("seg-orphan-1"));
        sent++;
        analytics.flush();
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (succeeded.get() + failures.size() < sent) {
            assertThat(System.nanoTime()).as("the client's batches answered within 60 s").isLessThan(giveUp);
            Thread.sleep(50);
        }
        analytics.shutdown();
        assertThat(failures).isEmpty();

        for (String account : ACCOUNTS) {
            AccountScore score = awaitScore(account, 2 + REPORTS);
            assertThat(score.getProfile().getName()).isEqualTo("Account " + account);
            assertThat(score.getProfile().getPlan()).isEqualTo(Plan.PLAN_TRIAL);
            assertThat(score.getProfile().getOpportunitySize()).isEqualTo(OpportunitySize.OPPORTUNITY_SIZE_MID);
            assertThat(score.getProfile().getDealSize().getAmountMicros()).isEqualTo(24_000_000_000L);
            assertThat(score.getEngagement().getTopActionsList())
                    .anySatisfy(action -> {
                        assertThat(action.getAction()).isEqualTo("report_created");
                        assertThat(action.getQuantity()).isEqualTo(2.0 * REPORTS);
                    });
        }
        List<IngestError> errors = ingestErrors(ingester, 100);
        assertThat(errors).anySatisfy(error -> {
            assertThat(error.getMessageId()).isEqualTo("seg-orphan-1");
            assertThat(error.getCode()).isEqualTo("ACCOUNT_UNRESOLVED");
            assertThat(error.getReason()).contains("context.groupId");
            assertThat(error.getApiKeyName()).isEqualTo("segment-prod");
        });
    }

    /**
     * The client's own retry: the first answer is lost after the gateway stored the batch (an IOException
     * in the client, as a reset connection gives), analytics-java retries the same batch after its
     * back-off (15 s base), and every message of the retry is a DUPLICATE. Bodies go gzip-compressed
     * (analytics-java 3.5.1 does not compress by itself: an OkHttp interceptor does, as a proxy would).
     */
    @Test
    void theClientsRetryOfABatchWhoseAnswerWasLostIsAllDuplicatesAndGzipBodiesAreRead() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        okhttp3.Interceptor loseFirstAnswer = chain -> {
            okhttp3.Response response = chain.proceed(chain.request());
            if (attempts.incrementAndGet() == 1) {
                response.close();
                throw new java.io.IOException("test: the first answer is lost");
            }
            return response;
        };
        okhttp3.Interceptor gzip = chain -> {
            okhttp3.Request request = chain.request();
            okio.Buffer plain = new okio.Buffer();
            request.body().writeTo(plain);
            ByteArrayOutputStream zipped = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
                out.write(plain.readByteArray());
            }
            return chain.proceed(request.newBuilder().header("Content-Encoding", "gzip")
                    .method(request.method(), okhttp3.RequestBody.create(zipped.toByteArray(), request.body().contentType())).build());
        };
        long duplicatesBefore = counter("pql.segment.messages.duplicates");
        AtomicInteger succeeded = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Analytics analytics = Analytics.builder(ingester)
                .endpoint("http://127.0.0.1:" + allInOne.app().httpPort())
                .client(new okhttp3.OkHttpClient.Builder().addInterceptor(loseFirstAnswer).addInterceptor(gzip).build())
                .flushQueueSize(4)
                .callback(new Callback() {
                    @Override
                    public void success(Message message) {
                        succeeded.incrementAndGet();
                    }

                    @Override
                    public void failure(Message message, Throwable throwable) {
                        failures.add(throwable);
                    }
                })
                .build();
        analytics.enqueue(GroupMessage.builder("seg-retry").userId("r1").traits(Map.of("name", "Retry Co", "plan", "trial")));
        analytics.enqueue(IdentifyMessage.builder().userId("r1").context(Map.of("groupId", "seg-retry")));
        analytics.enqueue(TrackMessage.builder("Report Created").userId("r1").context(Map.of("groupId", "seg-retry")));
        analytics.enqueue(TrackMessage.builder("Report Created").userId("r1").context(Map.of("groupId", "seg-retry")));
        analytics.flush();
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (succeeded.get() + failures.size() < 4) {
            assertThat(System.nanoTime()).as("the retried batch answered within 90 s").isLessThan(giveUp);
            Thread.sleep(100);
        }
        analytics.shutdown();
        assertThat(failures).isEmpty();
        assertThat(attempts.get()).isEqualTo(2);
        assertThat(counter("pql.segment.messages.duplicates")).isEqualTo(duplicatesBefore + 4);
        AccountScore score = awaitScore("seg-retry", 4);
        assertThat(score.getEventsApplied()).isEqualTo(4);
        assertThat(score.getProfile().getName()).isEqualTo("Retry Co");
    }

    @Test
    void everySingleCallTypeAnswersSuccessAndARetryIsADuplicate() throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString((ingester + ":").getBytes(StandardCharsets.UTF_8));
        String group = """
                {"groupId":"seg-single","userId":"s1","traits":{"name":"Single Co","plan":"trial"},"messageId":"single-group-1"}""";
        HttpResponse<String> first = post("/v1/group", group, basic, false);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(first.body())).isEqualTo(JSON.readTree("{\"success\":true}"));
        long duplicatesBefore = counter("pql.segment.messages.duplicates");
        long reusedBefore = counter("pql.segment.messages.reused_ids");
        long rejectedBefore = counter("pql.segment.messages.rejected");
        // a retry: no timestamp, so it "happened" at a later receivedAt; still the same messageId, a duplicate as in Segment
        assertThat(post("/v1/group", group, basic, false).statusCode()).isEqualTo(200);
        assertThat(counter("pql.segment.messages.duplicates")).isEqualTo(duplicatesBefore + 1);
        assertThat(counter("pql.segment.messages.reused_ids")).isEqualTo(reusedBefore + 1);
        String stamped = "{\"groupId\":\"seg-single\",\"traits\":{\"name\":\"Single Co\"},\"messageId\":\"single-group-2\","
                + "\"timestamp\":\"" + Instant.now().minusSeconds(30) + "\",\"sentAt\":\"" + Instant.now().minusSeconds(20) + "\"}";
        assertThat(post("/v1/group", stamped, basic, false).statusCode()).isEqualTo(200);
        assertThat(post("/v1/group", stamped, basic, false).statusCode()).isEqualTo(200);
        assertThat(counter("pql.segment.messages.duplicates")).isEqualTo(duplicatesBefore + 2);
        assertThat(counter("pql.segment.messages.reused_ids")).as("an exact resend").isEqualTo(reusedBefore + 1);
        assertThat(counter("pql.segment.messages.rejected")).isEqualTo(rejectedBefore);
        assertThat(post("/v1/identify", "{\"userId\":\"s1\",\"context\":{\"groupId\":\"seg-single\"},\"messageId\":\"single-id-1\"}",
                "Bearer " + ingester, false).statusCode()).isEqualTo(200);
        String track = "{\"userId\":\"s1\",\"event\":\"Dashboard Shared\",\"context\":{\"groupId\":\"seg-single\"},\"messageId\":\"single-track-1\"}";
        assertThat(post("/v1/track", track, basic, true).statusCode()).as("gzip body").isEqualTo(200);
        assertThat(post("/v1/page", "{\"userId\":\"s1\",\"name\":\"Pricing\",\"context\":{\"groupId\":\"seg-single\"}}", basic, false)
                .statusCode()).isEqualTo(200);
        assertThat(post("/v1/screen", "{\"userId\":\"s1\",\"name\":\"Home\",\"context\":{\"groupId\":\"seg-single\"}}", basic, false)
                .statusCode()).isEqualTo(200);
        assertThat(post("/v1/alias", "{\"userId\":\"s1\",\"previousId\":\"anon-9\"}", basic, false).statusCode()).isEqualTo(200);
        // two groups, identify and the track: page, screen and alias are ignored by default
        AccountScore score = awaitScore("seg-single", 4);
        assertThat(score.getEventsApplied()).isEqualTo(4);
        assertThat(score.getEngagement().getTopActionsList()).extracting(a -> a.getAction()).containsExactly("dashboard_shared");
    }

    @Test
    void aBatchStoresItsGoodItemsAndListsEachBadOneWithItsReason() throws Exception {
        String pad = "x".repeat(33 * 1024);
        String batch = """
                {"batch":[
                  {"type":"group","groupId":"seg-batch","traits":{"name":"Batch Co"},"messageId":"b-1"},
                  {"type":"track","event":"Login","userId":"u","context":{"groupId":"seg-batch"},"messageId":"b-2"},
                  {"type":"track","event":"Login","userId":"u","context":{"groupId":"seg-batch"},"messageId":"b-3","properties":{"pad":"%s"}},
                  {"type":"track","event":"Login","userId":"u","context":{"groupId":"seg-batch"},"messageId":"b-4","properties":{"quantity":-5}},
                  {"type":"group","groupId":"seg-batch","traits":{"plan":"platinum"},"messageId":"b-5"},
                  {"type":"track","event":"Login","userId":"u","messageId":"b-6"},
                  {"type":"purchase","messageId":"b-7"}
                ],"context":{"library":{"name":"raw"}}}""".formatted(pad);
        HttpResponse<String> response = post("/v1/batch", batch, "Bearer " + ingester, true);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"success\":true");
        assertThat(awaitScore("seg-batch", 2).getEventsApplied()).isEqualTo(2);
        List<IngestError> errors = ingestErrors(ingester, 50);
        assertThat(errors).anySatisfy(error -> assertThat(error.getMessageId() + " " + error.getCode()).isEqualTo("b-3 MESSAGE_TOO_LARGE"));
        assertThat(errors).anySatisfy(error -> {
            assertThat(error.getMessageId()).isEqualTo("b-4");
            assertThat(error.getReason()).contains("product_action.quantity");
            assertThat(error.getAccountId()).isEqualTo("seg-batch");
        });
        assertThat(errors).anySatisfy(error -> assertThat(error.getMessageId() + " " + error.getReason()).contains("b-5").contains("platinum"));
        assertThat(errors).anySatisfy(error -> assertThat(error.getMessageId() + " " + error.getCode()).isEqualTo("b-6 ACCOUNT_UNRESOLVED"));
        assertThat(errors).anySatisfy(error -> assertThat(error.getMessageId() + " " + error.getCode()).isEqualTo("b-7 UNKNOWN_TYPE"));
        assertThat(counter("pql.segment.messages.rejected")).isGreaterThanOrEqualTo(5);
        // a key without admin sees only its own items; the reader key may not list at all
        assertThat(ingestErrors(allInOne.localKey(), 1000)).isNotEmpty();
    }

    @Test
    void aWebhookDestinationPostsOneMessageOfAnyTypeOrAnArrayToOneUrl() throws Exception {
        String key = "X-Api-Key";
        String group = "{\"type\":\"group\",\"groupId\":\"seg-hook\",\"traits\":{\"name\":\"Hook Co\"},\"messageId\":\"hook-1\"}";
        HttpResponse<String> one = HTTP.send(HttpRequest.newBuilder(allInOne.http("/v1/webhook")).header(key, ingester)
                .POST(HttpRequest.BodyPublishers.ofString(group)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
        String array = "[{\"type\":\"identify\",\"userId\":\"h1\",\"context\":{\"groupId\":\"seg-hook\"},\"messageId\":\"hook-2\"},"
                + "{\"type\":\"track\",\"event\":\"Report Created\",\"userId\":\"h1\",\"context\":{\"groupId\":\"seg-hook\"},"
                + "\"messageId\":\"hook-3\"}]";
        assertThat(post("/v1/webhook", array, "Bearer " + ingester, false).statusCode()).isEqualTo(200);
        AccountScore score = awaitScore("seg-hook", 3);
        assertThat(score.getProfile().getName()).isEqualTo("Hook Co");
        assertError(post("/v1/webhook", "[]", "Bearer " + ingester, false), 400, "empty array");
        assertError(post("/v1/webhook", "{\"type\":", "Bearer " + ingester, false), 400, "malformed JSON");
    }

    @Test
    void malformedOversizeAndUnauthenticatedRequestsGetTheDocumentedAnswers() throws Exception {
        String bearer = "Bearer " + ingester;
        assertError(post("/v1/track", "{\"event\": ", bearer, false), 400, "malformed JSON");
        assertError(post("/v1/batch", "{\"batch\": [{\"type\":\"track\"", bearer, false), 400, "malformed JSON");
        assertError(post("/v1/batch", "[]", bearer, false), 400, "\"batch\" array");
        assertError(post("/v1/batch", "{\"batch\": []}", bearer, false), 400, "at least one message");
        assertError(post("/v1/track", "[1, 2]", bearer, false), 400, "one JSON object");
        String bigMessage = "{\"event\":\"Login\",\"userId\":\"u\",\"properties\":{\"pad\":\"" + "x".repeat(33 * 1024) + "\"}}";
        assertError(post("/v1/track", bigMessage, bearer, false), 400, "32 KB");
        assertError(post("/v1/track", bigMessage, bearer, true), 400, "32 KB");
        StringBuilder big = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 20; i++) {
            big.append(i == 0 ? "" : ",").append("{\"type\":\"track\",\"event\":\"Login\",\"userId\":\"u\",\"properties\":{\"pad\":\"")
                    .append("y".repeat(30 * 1024)).append("\"}}");
        }
        big.append("]}");
        assertError(post("/v1/batch", big.toString(), bearer, false), 400, "500 KB");
        assertError(post("/v1/batch", big.toString(), bearer, true), 400, "500 KB");
        byte[] notGzip = {0x1f, (byte) 0x8b, 1, 2, 3};
        assertError(send("/v1/batch", notGzip, bearer), 400, "gzip");
        assertError(post("/v1/track", "{\"event\":\"Login\"}", null, false), 401, "write key is required");
        assertError(post("/v1/track", "{\"event\":\"Login\"}", "Bearer not-a-key", false), 401, "unknown write key");
        assertError(post("/v1/batch", "{\"writeKey\":\"not-a-key\",\"batch\":[{\"type\":\"track\"}]}", null, false), 401, "unknown write key");
        assertError(post("/v1/track", "{\"event\":\"Login\"}", "Bearer " + reader, false), 403, "ingest:write");
        assertThat(counter("pql.segment.requests.malformed")).isGreaterThanOrEqualTo(5);
        assertThat(counter("pql.segment.requests.too_large")).isGreaterThanOrEqualTo(4);
    }

    private static void assertError(HttpResponse<String> response, int status, String message) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("httpStatus").asInt()).isEqualTo(status);
        assertThat(body.path("message").asText()).contains(message);
    }

    private static HttpResponse<String> post(String path, String body, String authorization, boolean gzip) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (gzip) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
                zip.write(bytes);
            }
            bytes = out.toByteArray();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(allInOne.http(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (gzip) {
            request.header("Content-Encoding", "gzip");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(String path, byte[] bytes, String authorization) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(allInOne.http(path)).timeout(Duration.ofSeconds(30)).header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long counter(String name) throws Exception {
        HttpResponse<String> metrics = allInOne.admin("GET", "/metrics", allInOne.localKey());
        assertThat(metrics.statusCode()).isEqualTo(200);
        return JSON.readTree(metrics.body()).path("counters").path(name).path("count").asLong();
    }

    private static List<IngestError> ingestErrors(String key, int limit) {
        return IngestErrorServiceGrpc.newBlockingStub(allInOne.channel()).withCallCredentials(RunningGateway.bearer(key))
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .listIngestErrors(ListIngestErrorsRequest.newBuilder().setLimit(limit).build()).getErrorsList();
    }

    private static AccountScore awaitScore(String account, long events) throws InterruptedException {
        ScoringServiceGrpc.ScoringServiceBlockingStub scoring = ScoringServiceGrpc.newBlockingStub(allInOne.channel())
                .withCallCredentials(RunningGateway.bearer(allInOne.localKey()));
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<String> seen = new ArrayList<>();
        while (true) {
            try {
                AccountScore score = scoring.withDeadlineAfter(10, TimeUnit.SECONDS)
                        .getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId(account).build());
                if (score.getEventsApplied() >= events) {
                    return score;
                }
                seen.add(String.valueOf(score.getEventsApplied()));
            } catch (io.grpc.StatusRuntimeException e) {
                seen.add(e.getStatus().getCode().name());
            }
            assertThat(System.nanoTime()).as(account + " scored with " + events + " events within 60 s; seen " + seen).isLessThan(giveUp);
            Thread.sleep(100);
        }
    }
}
