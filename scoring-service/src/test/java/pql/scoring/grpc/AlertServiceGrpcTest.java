package pql.scoring.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pql.common.grpc.GrpcErrors;
import pql.scoring.ScoringSettings;
import pql.scoring.alerts.Webhook;
import pql.scoring.testing.HttpReceiver;
import pql.v1.AddAlertSubscriptionRequest;
import pql.v1.AlertFilter;
import pql.v1.AlertFormat;
import pql.v1.AlertServiceGrpc;
import pql.v1.AlertSubscription;
import pql.v1.ListAlertSubscriptionsRequest;
import pql.v1.OpportunitySize;
import pql.v1.Persona;
import pql.v1.PqlKind;
import pql.v1.RemoveAlertSubscriptionRequest;
import pql.v1.TestAlertSubscriptionRequest;

/** AlertService in process, on a real embedded store: bad inputs, the lifecycle, persistence, the signed test post. */
class AlertServiceGrpcTest {

    @TempDir
    Path directory;

    private HttpReceiver receiver;
    private ScoringServerFixture scoring;
    private AlertServiceGrpc.AlertServiceBlockingStub alerts;

    @BeforeEach
    void start() throws Exception {
        receiver = new HttpReceiver();
        scoring = new ScoringServerFixture(directory, settings());
        alerts = AlertServiceGrpc.newBlockingStub(scoring.channel);
    }

    private ScoringSettings settings() {
        ScoringSettings settings = new ScoringSettings();
        settings.getAlerts().setWebhookUrl(receiver.url("/default")).setWebhookSecret("configured-secret");
        return settings;
    }

    @AfterEach
    void stop() throws Exception {
        scoring.close();
        receiver.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not a url", "ftp://example.com/hook", "/relative/hook", "http:///no-host",
        "mailto:rep@example.com"})
    void aUrlThatIsNotAnAbsoluteHttpUrlIsInvalid(String url) {
        assertInvalid(() -> alerts.addAlertSubscription(AddAlertSubscriptionRequest.newBuilder().setUrl(url).build()), "url");
    }

    @Test
    void aUrlLongerThan2000CharactersIsInvalid() {
        assertInvalid(() -> alerts.addAlertSubscription(AddAlertSubscriptionRequest.newBuilder()
                .setUrl("https://example.com/" + "a".repeat(2_000)).build()), "url");
    }

    @Test
    void badFilterPartsAndUnknownEnumsAreEachNamed() {
        assertInvalid(() -> alerts.addAlertSubscription(request().setFilter(AlertFilter.newBuilder()
                .setOwner("not an email")).build()), "filter.owner");
        assertInvalid(() -> alerts.addAlertSubscription(request().setFormatValue(99).build()), "format");
        assertInvalid(() -> alerts.addAlertSubscription(request().setFilter(AlertFilter.newBuilder()
                .addSizes(OpportunitySize.OPPORTUNITY_SIZE_UNSPECIFIED)).build()), "filter.sizes[0]");
        assertInvalid(() -> alerts.addAlertSubscription(request().setFilter(AlertFilter.newBuilder()
                .addKinds(PqlKind.PQL_KIND_HAND_RAISER).addKindsValue(42)).build()), "filter.kinds[1]");
        assertInvalid(() -> alerts.addAlertSubscription(request().setFilter(AlertFilter.newBuilder()
                .addPersonasValue(77)).build()), "filter.personas[0]");
        assertThat(alerts.listAlertSubscriptions(ListAlertSubscriptionsRequest.getDefaultInstance()).getSubscriptionsList())
                .as("nothing stored by a refused request").extracting(AlertSubscription::getId).containsExactly("default");
    }

    @Test
    void unknownIdsAreNotFoundAndTheConfiguredDefaultCannotBeRemovedThroughTheApi() {
        assertCode(() -> alerts.removeAlertSubscription(RemoveAlertSubscriptionRequest.newBuilder().setId("sub-nope")
                .build()), Status.Code.NOT_FOUND);
        assertCode(() -> alerts.testAlertSubscription(TestAlertSubscriptionRequest.newBuilder().setId("sub-nope").build()),
                Status.Code.NOT_FOUND);
        assertCode(() -> alerts.removeAlertSubscription(RemoveAlertSubscriptionRequest.newBuilder().setId("default")
                .build()), Status.Code.FAILED_PRECONDITION);
        assertInvalid(() -> alerts.removeAlertSubscription(RemoveAlertSubscriptionRequest.getDefaultInstance()), "id");
        assertInvalid(() -> alerts.testAlertSubscription(TestAlertSubscriptionRequest.getDefaultInstance()), "id");
    }

    @Test
    void aSubscriptionIsAddedWithItsSecretListedWithoutItKeptAcrossARestartTestedWithASignedPostAndRemoved()
            throws Exception {
        AlertSubscription added = alerts.addAlertSubscription(request().setFormat(AlertFormat.ALERT_FORMAT_JSON)
                .setFilter(AlertFilter.newBuilder().setOwner("Rep@Example.com").addSizes(OpportunitySize.OPPORTUNITY_SIZE_LARGE)
                        .addKinds(PqlKind.PQL_KIND_HAND_RAISER).addPersonas(Persona.PERSONA_GOLDEN_LEAD)).build());

        assertThat(added.getId()).matches("sub-[0-9a-f]{16}");
        assertThat(added.getSecret()).matches("[0-9a-f]{64}");
        assertThat(added.getCreatedBy()).isEqualTo("platform-team");
        assertThat(added.getFilter().getOwner()).isEqualTo("rep@example.com");

        scoring.close();
        scoring = new ScoringServerFixture(directory, settings());
        alerts = AlertServiceGrpc.newBlockingStub(scoring.channel);

        var listed = alerts.listAlertSubscriptions(ListAlertSubscriptionsRequest.getDefaultInstance()).getSubscriptionsList();
        assertThat(listed).extracting(AlertSubscription::getId).containsExactly("default", added.getId());
        assertThat(listed).allSatisfy(s -> assertThat(s.getSecret()).isEmpty());
        assertThat(listed.get(1).getFormat()).isEqualTo(AlertFormat.ALERT_FORMAT_JSON);
        assertThat(listed.get(1).getFilter()).isEqualTo(added.getFilter());

        var tested = alerts.testAlertSubscription(TestAlertSubscriptionRequest.newBuilder().setId(added.getId()).build());
        assertThat(tested.getHttpStatus()).isEqualTo(200);
        HttpReceiver.Post post = receiver.posts.get(receiver.posts.size() - 1);
        assertThat(post.path()).isEqualTo("/hook");
        assertThat(post.alertId()).isEqualTo(tested.getAlertId()).startsWith("test-");
        assertThat(post.signature()).isEqualTo(Webhook.signature(added.getSecret(), post.body()));
        assertThat(post.body()).contains("platform-team");

        var defaultTest = alerts.testAlertSubscription(TestAlertSubscriptionRequest.newBuilder().setId("default").build());
        assertThat(defaultTest.getHttpStatus()).isEqualTo(200);
        HttpReceiver.Post defaultPost = receiver.posts.get(receiver.posts.size() - 1);
        assertThat(defaultPost.signature()).isEqualTo(Webhook.signature("configured-secret", defaultPost.body()));

        receiver.status.set(503);
        assertThat(alerts.testAlertSubscription(TestAlertSubscriptionRequest.newBuilder().setId(added.getId()).build())
                .getHttpStatus()).isEqualTo(503);

        alerts.removeAlertSubscription(RemoveAlertSubscriptionRequest.newBuilder().setId(added.getId()).build());
        assertThat(alerts.listAlertSubscriptions(ListAlertSubscriptionsRequest.getDefaultInstance()).getSubscriptionsList())
                .extracting(AlertSubscription::getId).containsExactly("default");
        assertCode(() -> alerts.removeAlertSubscription(RemoveAlertSubscriptionRequest.newBuilder().setId(added.getId())
                .build()), Status.Code.NOT_FOUND);
    }

    @Test
    void aLiveHandRaiserReachesTheYamlDefaultInSlackFormAndAJsonSubscriptionAsThePqlTransition() throws Exception {
        alerts.addAlertSubscription(request().setFormat(AlertFormat.ALERT_FORMAT_JSON).setFilter(AlertFilter.newBuilder()
                .addKinds(PqlKind.PQL_KIND_HAND_RAISER)).build());
        java.time.Instant now = java.time.Instant.now();
        appendNow("acc-live", 0, now.minusSeconds(5), pql.v1.AccountProfiled.newBuilder().setName("Initech")
                .setOwner("rep@example.com").setDealSize(pql.v1.Money.newBuilder().setAmountMicros(48_000_000_000L)
                        .setCurrency("USD")).build());
        appendNow("acc-live", 1, now, pql.v1.SalesAssistanceRequested.newBuilder().setUserId("u-7")
                .setNote("Can we talk pricing for 40 seats?").build());

        pql.scoring.testing.Await.until("both posted", () -> receiver.posts.size() >= 2);
        HttpReceiver.Post slack = receiver.posts.stream().filter(p -> p.path().equals("/default")).findFirst().orElseThrow();
        HttpReceiver.Post json = receiver.posts.stream().filter(p -> p.path().equals("/hook")).findFirst().orElseThrow();
        assertThat(slack.signature()).isEqualTo(Webhook.signature("configured-secret", slack.body()));
        assertThat(slack.body()).contains("Initech (acc-live) became a PQL (hand-raiser)", "deal USD 48,000",
                "Can we talk pricing for 40 seats?", "owner rep@example.com");
        assertThat(json.alertId()).isEqualTo(slack.alertId());
        var transition = pql.v1.PqlTransition.newBuilder();
        com.google.protobuf.util.JsonFormat.parser().merge(json.body(), transition);
        assertThat(transition.getAccountId()).isEqualTo("acc-live");
        assertThat(transition.getKind()).isEqualTo(pql.v1.TransitionKind.TRANSITION_KIND_BECAME_PQL);
        assertThat(transition.getKindsAfterList()).containsExactly(PqlKind.PQL_KIND_HAND_RAISER);
    }

    private void appendNow(String account, int sequence, java.time.Instant at, com.google.protobuf.Message payload) {
        scoring.store.append(java.util.List.of(new pql.eventstore.AppendRequest(pql.eventstore.StreamIds.forAccount(account),
                pql.eventstore.ExpectedVersion.ANY, java.util.List.of(pql.scoring.testing.SampleHistory.envelope(account,
                        sequence, at, payload)))));
    }

    private AddAlertSubscriptionRequest.Builder request() {
        return AddAlertSubscriptionRequest.newBuilder().setUrl(receiver.url("/hook"));
    }

    private static void assertInvalid(ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(GrpcErrors.fieldViolations(e)).extracting(v -> v.getField()).contains(field);
        });
    }

    private static void assertCode(ThrowingCallable call, Status.Code code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
    }
}
