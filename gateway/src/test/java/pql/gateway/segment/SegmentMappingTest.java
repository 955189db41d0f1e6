package pql.gateway.segment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import pql.v1.Event;
import pql.v1.Fit;
import pql.v1.OpportunitySize;
import pql.v1.OutcomeKind;
import pql.v1.Plan;

class SegmentMappingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant RECEIVED = Instant.parse("2026-06-01T12:00:00Z");

    private final SegmentMapping defaults = new SegmentMapping(config("{}"));

    static SegmentConfig config(String json) {
        try {
            return JSON.readValue(json, SegmentConfig.class);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Event mapped(SegmentMapping mapping, String message, String type) {
        SegmentMessage result = mapping.map(json(message), null, null, RECEIVED, type);
        assertThat(result).as(result.toString()).isInstanceOf(SegmentMessage.ToIngest.class);
        return ((SegmentMessage.ToIngest) result).event();
    }

    private SegmentMessage.Rejected rejected(String message, String type) {
        SegmentMessage result = defaults.map(json(message), null, null, RECEIVED, type);
        assertThat(result).as(result.toString()).isInstanceOf(SegmentMessage.Rejected.class);
        return (SegmentMessage.Rejected) result;
    }

    @Test
    void groupTraitsBecomeTheAccountProfileAndTheRestAreCustomTraits() {
        Event event = mapped(defaults, """
                {'type':'group','messageId':'m-1','groupId':'acme','userId':'u1','timestamp':'2026-06-01T11:00:00Z',
                 'traits':{'name':'Acme','plan':'trial','deal_size':20000,'currency':'eur','opportunity_size':'mid',
                           'owner':'ana@example.com','trial_start':'2026-05-20T00:00:00Z','trial_end':'2026-06-20T00:00:00+02:00',
                           'fit':'good','industry':'retail','employees':120,'tags':['a','b']}}""", null);
        assertThat(event.getEventId()).isEqualTo("m-1");
        assertThat(event.getAccountId()).isEqualTo("acme");
        assertThat(event.getOccurredAt().getSeconds()).isEqualTo(Instant.parse("2026-06-01T11:00:00Z").getEpochSecond());
        var profile = event.getAccountProfiled();
        assertThat(profile.getName()).isEqualTo("Acme");
        assertThat(profile.getPlan()).isEqualTo(Plan.PLAN_TRIAL);
        assertThat(profile.getDealSize().getAmountMicros()).isEqualTo(20_000_000_000L);
        assertThat(profile.getDealSize().getCurrency()).isEqualTo("EUR");
        assertThat(profile.getOpportunitySize()).isEqualTo(OpportunitySize.OPPORTUNITY_SIZE_MID);
        assertThat(profile.getOwner()).isEqualTo("ana@example.com");
        assertThat(profile.getTrialStart().getSeconds()).isEqualTo(Instant.parse("2026-05-20T00:00:00Z").getEpochSecond());
        assertThat(profile.getTrialEnd().getSeconds()).isEqualTo(Instant.parse("2026-06-19T22:00:00Z").getEpochSecond());
        assertThat(profile.getFit()).isEqualTo(Fit.FIT_GOOD);
        assertThat(profile.getTraitsMap()).containsOnly(
                org.assertj.core.api.Assertions.entry("industry", "retail"),
                org.assertj.core.api.Assertions.entry("employees", "120"),
                org.assertj.core.api.Assertions.entry("tags", "[\"a\",\"b\"]"));
    }

    @Test
    void anUnknownPlanIsRejectedNotGuessed() {
        SegmentMessage.Rejected rejected = rejected("{'type':'group','groupId':'acme','traits':{'plan':'Enterprise Gold'}}", "group");
        assertThat(rejected.code()).isEqualTo("BAD_VALUE");
        assertThat(rejected.reason()).contains("traits.plan").contains("Enterprise Gold").contains("trial");
    }

    @Test
    void identifyIsAUserOfTheAccountInContextGroupId() {
        Event event = mapped(defaults, """
                {'userId':'u-7','context':{'groupId':'acme'},'traits':{'email':'u7@acme.com','role':'admin'}}""", "identify");
        assertThat(event.getAccountId()).isEqualTo("acme");
        assertThat(event.getUserIdentified().getUserId()).isEqualTo("u-7");
        assertThat(event.getUserIdentified().getEmail()).isEqualTo("u7@acme.com");
        assertThat(event.getUserIdentified().getTraitsMap()).containsOnlyKeys("role");
        // no timestamp: it happened when received
        assertThat(event.getOccurredAt().getSeconds()).isEqualTo(RECEIVED.getEpochSecond());
    }

    @Test
    void theAccountMayComeFromATraitOrTheBatchContextInConfiguredOrder() {
        Event fromTrait = mapped(defaults, "{'type':'identify','userId':'u','traits':{'company':{'id':'globex'}}}", null);
        assertThat(fromTrait.getAccountId()).isEqualTo("globex");
        SegmentMessage fromBatch = defaults.map(json("{'type':'track','event':'Report Created','userId':'u'}"),
                json("{'groupId':'initech'}"), null, RECEIVED, null);
        assertThat(((SegmentMessage.ToIngest) fromBatch).event().getAccountId()).isEqualTo("initech");
        SegmentMapping custom = new SegmentMapping(config("{\"accountIdFrom\":[\"properties.workspace\"]}"));
        assertThat(mapped(custom, "{'event':'X','userId':'u','properties':{'workspace':'w-1'},'context':{'groupId':'no'}}", "track")
                .getAccountId()).isEqualTo("w-1");
    }

    @Test
    void anEventWithoutAnAccountIsRejectedWithTheReason() {
        SegmentMessage.Rejected rejected = rejected("{'event':'Report Created','userId':'u'}", "track");
        assertThat(rejected.code()).isEqualTo("ACCOUNT_UNRESOLVED");
        assertThat(rejected.reason()).contains("context.groupId");
        assertThat(rejected("{'type':'group','traits':{}}", null).reason()).contains("groupId");
    }

    @Test
    void trackIsAProductActionInSnakeCaseWithTheQuantityFromTheConfiguredProperty() {
        Event event = mapped(defaults, """
                {'event':'Report Created','userId':'u1','context':{'groupId':'acme'},'properties':{'quantity':3,'format':'pdf'}}""",
                "track");
        assertThat(event.getProductAction().getAction()).isEqualTo("report_created");
        assertThat(event.getProductAction().getQuantity()).isEqualTo(3.0);
        assertThat(event.getProductAction().getPropertiesMap()).containsOnlyKeys("format");
        SegmentMapping seats = new SegmentMapping(config("{\"quantityProperty\":\"seats\"}"));
        Event withSeats = mapped(seats, "{'event':'Seats Added','anonymousId':'anon-1','context':{'groupId':'acme'},'properties':{'seats':5}}", "track");
        assertThat(withSeats.getProductAction().getQuantity()).isEqualTo(5.0);
        assertThat(withSeats.getProductAction().getUserId()).isEqualTo("anon-1");
        Event noQuantity = mapped(defaults, "{'event':'Login','userId':'u','context':{'groupId':'a'}}", "track");
        assertThat(noQuantity.getProductAction().hasQuantity()).isFalse();
    }

    @Test
    void namedEventsBecomeTheOtherKinds() {
        assertThat(mapped(defaults, "{'event':'Demo Requested','userId':'u','context':{'groupId':'a'},'properties':{'note':'call me'}}",
                "track").getSalesAssistanceRequested().getNote()).isEqualTo("call me");
        var limit = mapped(defaults, """
                {'event':'Plan Limit Reached','userId':'u','context':{'groupId':'a'},'properties':{'limit':'seats','usage':5,'limit_value':5}}""",
                "track").getPlanLimitReached();
        assertThat(limit.getLimit()).isEqualTo("seats");
        assertThat(limit.getUsage()).isEqualTo(5.0);
        var outcome = mapped(defaults, "{'event':'Order Completed','userId':'u','context':{'groupId':'a'},'properties':{'revenue':1200.5}}",
                "track").getOutcome();
        assertThat(outcome.getKind()).isEqualTo(OutcomeKind.OUTCOME_KIND_CONVERTED);
        assertThat(outcome.getAmount().getAmountMicros()).isEqualTo(1_200_500_000L);
        assertThat(outcome.getAmount().getCurrency()).isEqualTo("USD");
        assertThat(outcome.getSalesTouched()).isFalse();
        SegmentMapping custom = new SegmentMapping(config("{\"events\":{\"Talk To Us\":\"sales_assistance_requested\",\"Noise\":\"ignore\"}}"));
        assertThat(mapped(custom, "{'event':'Talk To Us','context':{'groupId':'a'}}", "track").hasSalesAssistanceRequested()).isTrue();
        assertThat(custom.map(json("{'event':'Noise','userId':'u','context':{'groupId':'a'}}"), null, null, RECEIVED, "track"))
                .isInstanceOf(SegmentMessage.Ignored.class);
        // the configured map replaces the defaults: Demo Requested is a product action there
        assertThat(mapped(custom, "{'event':'Demo Requested','userId':'u','context':{'groupId':'a'}}", "track")
                .getProductAction().getAction()).isEqualTo("demo_requested");
    }

    @Test
    void namedEventsMissingTheirRequiredPropertyAreRejected() {
        assertThat(rejected("{'event':'Plan Limit Reached','userId':'u','context':{'groupId':'a'}}", "track").reason())
                .contains("properties.limit");
        assertThat(rejected("{'event':'Order Completed','userId':'u','context':{'groupId':'a'}}", "track").reason())
                .contains("properties.revenue");
        assertThat(rejected("{'event':'Login','userId':'u','context':{'groupId':'a'},'properties':{'quantity':'many'}}", "track").reason())
                .contains("properties.quantity");
    }

    @Test
    void pagesAndScreensAreIgnoredByDefaultOrCountedAsActions() {
        assertThat(defaults.map(json("{'name':'Pricing','userId':'u','context':{'groupId':'a'}}"), null, null, RECEIVED, "page"))
                .isInstanceOf(SegmentMessage.Ignored.class);
        SegmentMapping counted = new SegmentMapping(config("{\"pages\":\"product_action\"}"));
        Event page = mapped(counted, "{'name':'Pricing','userId':'u','context':{'groupId':'a'}}", "page");
        assertThat(page.getProductAction().getAction()).isEqualTo("page_viewed");
        assertThat(page.getProductAction().getPropertiesMap()).containsEntry("name", "Pricing");
        assertThat(mapped(counted, "{'type':'screen','userId':'u','context':{'groupId':'a'}}", null).getProductAction().getAction())
                .isEqualTo("screen_viewed");
        assertThat(defaults.map(json("{'previousId':'a','userId':'b'}"), null, null, RECEIVED, "alias"))
                .isInstanceOf(SegmentMessage.Ignored.class);
    }

    @Test
    void sentAtCorrectsASkewedClockBeyondTheTolerance() {
        // the device's clock is two hours behind: sent "10:00" when the server received at 12:00
        Instant corrected = defaults.occurredAt(json("{'timestamp':'2026-06-01T09:59:00Z','sentAt':'2026-06-01T10:00:00Z'}"), null, RECEIVED);
        assertThat(corrected).isEqualTo(Instant.parse("2026-06-01T11:59:00Z"));
        // the batch's sentAt counts when the message has none
        assertThat(defaults.occurredAt(json("{'timestamp':'2026-06-01T09:59:00.000+0000'}"), "2026-06-01T10:00:00Z", RECEIVED))
                .isEqualTo(Instant.parse("2026-06-01T11:59:00Z"));
        // within the tolerance (a retry sent a while ago) the timestamp stays as sent, so the retry is the same event
        assertThat(defaults.occurredAt(json("{'timestamp':'2026-06-01T11:58:00Z','sentAt':'2026-06-01T11:59:30Z'}"), null, RECEIVED))
                .isEqualTo(Instant.parse("2026-06-01T11:58:00Z"));
        assertThat(defaults.occurredAt(json("{'timestamp':'2026-06-01T11:58:00Z'}"), null, RECEIVED))
                .isEqualTo(Instant.parse("2026-06-01T11:58:00Z"));
        assertThat(rejected("{'event':'x','userId':'u','context':{'groupId':'a'},'timestamp':'yesterday'}", "track").reason())
                .contains("timestamp").contains("yesterday");
    }

    @Test
    void withoutMessageIdTheIdComesFromTheContentSoAResendIsTheSameEvent() {
        String message = "{'event':'Login','userId':'u','context':{'groupId':'a'},'timestamp':'2026-06-01T11:00:00Z'}";
        String first = mapped(defaults, message, "track").getEventId();
        assertThat(first).startsWith("segment-sha256:").matches("[A-Za-z0-9._:@/-]{1,128}");
        assertThat(mapped(defaults, message, "track").getEventId()).isEqualTo(first);
        assertThat(mapped(defaults, message.replace("Login", "Logout"), "track").getEventId()).isNotEqualTo(first);
    }

    @Test
    void typeMismatchesAndUnknownTypesAreRejected() {
        assertThat(rejected("{'type':'identify','userId':'u'}", "track").code()).isEqualTo("WRONG_TYPE");
        assertThat(rejected("{'type':'purchase','userId':'u'}", null).code()).isEqualTo("UNKNOWN_TYPE");
        assertThat(rejected("{'userId':'u'}", null).code()).isEqualTo("NO_TYPE");
        assertThat(defaults.map(json("[1]"), null, null, RECEIVED, null)).isInstanceOf(SegmentMessage.Rejected.class);
    }

    @Test
    void actionNamesKeepIngestsCharset() {
        assertThat(SegmentMapping.actionName("  Report Created!! (v2) ")).isEqualTo("report_created_v2");
        assertThat(SegmentMapping.actionName("api:call/made")).isEqualTo("api:call/made");
    }
}
