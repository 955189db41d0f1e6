package pql.allinone.hostile;

import static pql.allinone.hostile.HostileCase.Expected.invalid;
import static pql.allinone.hostile.IngestCases.at;
import static pql.allinone.hostile.IngestCases.timestamp;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import pql.allinone.hostile.HostileCase.Expected;
import pql.allinone.hostile.HostileCase.Outcome;
import pql.allinone.hostile.HostileCase.Transport;
import pql.common.grpc.GrpcErrors;
import pql.v1.AccountOrder;
import pql.v1.AccountScoreFilter;
import pql.v1.ActionWeight;
import pql.v1.BehaviouralTrigger;
import pql.v1.ClassifyAccountRequest;
import pql.v1.CompareForecastRequest;
import pql.v1.Cutoffs;
import pql.v1.DiffRescoreRequest;
import pql.v1.ForecastDimension;
import pql.v1.ForecastFilter;
import pql.v1.GetAccountScoreRequest;
import pql.v1.GetCalibrationRequest;
import pql.v1.GetDefinitionPresetRequest;
import pql.v1.GetDefinitionRequest;
import pql.v1.GetForecastRequest;
import pql.v1.GetPqlMetricsRequest;
import pql.v1.ListAccountScoresRequest;
import pql.v1.ListDefinitionsRequest;
import pql.v1.PersonaOdds;
import pql.v1.ProductComplexity;
import pql.v1.PromoteDefinitionRequest;
import pql.v1.PublishDefinitionRequest;
import pql.v1.ScoringDefinition;
import pql.v1.StartRescoreRequest;
import pql.v1.StreamAccountScoresRequest;
import pql.v1.WatchPqlTransitionsRequest;

/**
 * Reads and definitions over gRPC: account ids, page sizes and tokens, as_of / known_at (at most
 * five minutes ahead of the server's clock; any valid Timestamp before that, 1960 included),
 * enum numbers nobody defined, group_by, definitions with numbers out of their bounds, and
 * versions that do not exist.
 */
final class ReadCases {

    private static final Timestamp FAR_FUTURE = at("3000-01-01T00:00:00Z");
    private static final Timestamp BEFORE_EPOCH = at("1960-01-01T00:00:00Z");
    private static final Timestamp PAST_TIMESTAMP_RANGE = Timestamp.newBuilder().setSeconds(253_402_300_800L).build();

    private final Calls calls;
    private final List<HostileCase> cases = new ArrayList<>();

    private ReadCases(Calls calls) {
        this.calls = calls;
    }

    static List<HostileCase> all(Calls calls) {
        ReadCases table = new ReadCases(calls);
        table.accountScores();
        table.scoreLists();
        table.forecasts();
        table.metrics();
        table.definitions();
        return table.cases;
    }

    private void accountScores() {
        score("unknown account", r -> r.setAccountId("hx-nobody"), Expected.grpc(Status.Code.NOT_FOUND, GrpcErrors.NOT_FOUND));
        score("empty account id", r -> r.setAccountId(""), invalid("account_id"));
        score("account id of 129 characters", r -> r.setAccountId("a".repeat(129)), invalid("account_id"));
        score("account id of 64 KiB", r -> r.setAccountId("a".repeat(64 * 1024)), invalid("account_id"));
        score("account id with a NUL", r -> r.setAccountId("acme\u0000"), invalid("account_id"));
        score("account id '../../etc/passwd%'", r -> r.setAccountId("../../etc/passwd%"), invalid("account_id"));
        score("as_of in the year 3000", r -> r.setAccountId(IngestCases.EXTREME_TRIAL).setAsOf(FAR_FUTURE), invalid("as_of"));
        score("as_of 10 minutes ahead", r -> r.setAccountId(IngestCases.EXTREME_TRIAL)
                .setAsOf(timestamp(Instant.now().plus(Duration.ofMinutes(10)))), invalid("as_of"));
        score("as_of past 9999", r -> r.setAccountId(IngestCases.EXTREME_TRIAL).setAsOf(PAST_TIMESTAMP_RANGE), invalid("as_of"));
        score("as_of nanos -1", r -> r.setAccountId(IngestCases.EXTREME_TRIAL).setAsOf(Timestamp.newBuilder().setSeconds(1).setNanos(-1)),
                invalid("as_of"));
        score("known_at in the year 3000", r -> r.setAccountId(IngestCases.EXTREME_TRIAL).setKnownAt(FAR_FUTURE), invalid("known_at"));
        // Before its first event an account did not exist yet: NOT_FOUND, never an error of the server.
        score("as_of 1960 (before the epoch)", r -> r.setAccountId(IngestCases.EXTREME_TRIAL).setAsOf(BEFORE_EPOCH),
                Expected.grpc(Status.Code.NOT_FOUND, GrpcErrors.NOT_FOUND));
        score("known_at 1960 (before the epoch)", r -> r.setAccountId(IngestCases.EXTREME_TRIAL).setKnownAt(BEFORE_EPOCH),
                Expected.grpc(Status.Code.NOT_FOUND, GrpcErrors.NOT_FOUND));
        score("definition_version -1", r -> r.setAccountId(IngestCases.EXTREME_TRIAL).setDefinitionVersion(-1),
                invalid("definition_version"));
        score("definition_version 999 (unknown)", r -> r.setAccountId(IngestCases.EXTREME_TRIAL).setDefinitionVersion(999),
                Expected.grpc(Status.Code.NOT_FOUND, GrpcErrors.NOT_FOUND));
    }

    private void scoreLists() {
        list("page_size -1", r -> r.setPageSize(-1), invalid("page_size"));
        list("page_size 1,001", r -> r.setPageSize(1001), invalid("page_size"));
        list("page_size Integer.MAX_VALUE", r -> r.setPageSize(Integer.MAX_VALUE), invalid("page_size"));
        add("ListAccountScores: page_size 1,000 (accepted)", () -> Calls.grpc(() -> calls.scoring().listAccountScores(
                ListAccountScoresRequest.newBuilder().setPageSize(1000).build()), r -> r.getScoresCount() <= 1000 ? "at most 1000" : "more"),
                Expected.ok("at most 1000"));
        list("page_token not base64", r -> r.setPageToken("!!not a token!!"), invalid("page_token"));
        list("page_token of 16 KiB", r -> r.setPageToken("A".repeat(16 * 1024)), invalid("page_token"));
        list("page_token damaged", r -> r.setPageToken(damagedToken()), invalid("page_token"));
        list("page_token of another order", r -> r.setPageToken(tokenOfEngagementOrder())
                .setOrderBy(AccountOrder.ACCOUNT_ORDER_ACCOUNT_ID), invalid("page_token"));
        list("filter.kinds 99 (unknown)", r -> r.setFilter(AccountScoreFilter.newBuilder().addKindsValue(99)), invalid("filter.kinds[0]"));
        list("filter.plans 0 (unspecified)", r -> r.setFilter(AccountScoreFilter.newBuilder().addPlansValue(0)), invalid("filter.plans[0]"));
        list("filter.owners of 201 characters", r -> r.setFilter(AccountScoreFilter.newBuilder().addOwners("o".repeat(201))),
                invalid("filter.owners[0]"));
        list("order_by 42 (unknown)", r -> r.setOrderByValue(42), invalid("order_by"));
        list("view 9 (unknown)", r -> r.setViewValue(9), invalid("view"));
        list("as_of in the year 3000", r -> r.setAsOf(FAR_FUTURE), invalid("as_of"));
        list("known_at 6 minutes ahead", r -> r.setKnownAt(timestamp(Instant.now().plus(Duration.ofMinutes(6)))), invalid("known_at"));
        add("ListAccountScores: as_of 1960 (accepted, nobody yet)", () -> Calls.grpc(() -> calls.scoring().listAccountScores(
                ListAccountScoresRequest.newBuilder().setAsOf(BEFORE_EPOCH).build()), r -> r.getTotalSize() + " accounts"),
                Expected.ok("0 accounts"));
        list("definition_version 999 (unknown)", r -> r.setDefinitionVersion(999), Expected.grpc(Status.Code.NOT_FOUND, GrpcErrors.NOT_FOUND));
        add("StreamAccountScores: changed_after_position -1", () -> Calls.grpc(() -> calls.scoring().streamAccountScores(
                StreamAccountScoresRequest.newBuilder().setChangedAfterPosition(-1).build()).hasNext(), r -> "answered"),
                invalid("changed_after_position"));
        add("StreamAccountScores: as_of in the year 3000", () -> Calls.grpc(() -> calls.scoring().streamAccountScores(
                StreamAccountScoresRequest.newBuilder().setAsOf(FAR_FUTURE).build()).hasNext(), r -> "answered"), invalid("as_of"));
        add("WatchPqlTransitions: recent 1,001", () -> Calls.grpc(() -> calls.scoring().watchPqlTransitions(
                WatchPqlTransitionsRequest.newBuilder().setRecent(1001).build()).hasNext(), r -> "answered"), invalid("recent"));
        add("WatchPqlTransitions: account id with a space", () -> Calls.grpc(() -> calls.scoring().watchPqlTransitions(
                WatchPqlTransitionsRequest.newBuilder().setAccountId("a b").build()).hasNext(), r -> "answered"), invalid("account_id"));
    }

    private void forecasts() {
        forecast("group_by 99 (unknown)", r -> r.addGroupByValue(99), invalid("group_by[0]"));
        forecast("group_by unspecified", r -> r.addGroupBy(ForecastDimension.FORECAST_DIMENSION_UNSPECIFIED), invalid("group_by[0]"));
        forecast("group_by persona twice", r -> r.addGroupBy(ForecastDimension.FORECAST_DIMENSION_PERSONA)
                .addGroupBy(ForecastDimension.FORECAST_DIMENSION_PERSONA), invalid("group_by[1]"));
        forecast("currency 'usd'", r -> r.setCurrency("usd"), invalid("currency"));
        forecast("currency of 1,000 letters", r -> r.setCurrency("U".repeat(1000)), invalid("currency"));
        forecast("filter.close_months '2025-13'", r -> r.setFilter(ForecastFilter.newBuilder().addCloseMonths("2025-13")),
                invalid("filter.close_months[0]"));
        forecast("filter.personas 99 (unknown)", r -> r.setFilter(ForecastFilter.newBuilder().addPersonasValue(99)),
                invalid("filter.personas[0]"));
        forecast("filter.opportunity_sizes 8 (unknown)", r -> r.setFilter(ForecastFilter.newBuilder().addOpportunitySizesValue(8)),
                invalid("filter.opportunity_sizes[0]"));
        forecast("as_of in the year 3000", r -> r.setAsOf(FAR_FUTURE), invalid("as_of"));
        forecast("known_at in the year 3000", r -> r.setKnownAt(FAR_FUTURE), invalid("known_at"));
        forecast("as_of past 9999", r -> r.setAsOf(PAST_TIMESTAMP_RANGE), invalid("as_of"));
        forecast("definition_version -5", r -> r.setDefinitionVersion(-5), invalid("definition_version"));
        forecast("definition_version 999 (unknown)", r -> r.setDefinitionVersion(999), Expected.grpc(Status.Code.NOT_FOUND, GrpcErrors.NOT_FOUND));
        add("GetForecast: as_of 1960 (accepted, no open trial then)", () -> Calls.grpc(() -> calls.forecast().getForecast(
                GetForecastRequest.newBuilder().setAsOf(BEFORE_EPOCH).build()), r -> r.getOpenTrials() + " open trials"),
                Expected.ok("0 open trials"));
        add("ClassifyAccount: empty account id", () -> Calls.grpc(() -> calls.forecast().classifyAccount(
                ClassifyAccountRequest.getDefaultInstance()), r -> "answered"), invalid("account_id"));
        add("ClassifyAccount: unknown account", () -> Calls.grpc(() -> calls.forecast().classifyAccount(
                ClassifyAccountRequest.newBuilder().setAccountId("hx-nobody").build()), r -> "answered"),
                Expected.grpc(Status.Code.NOT_FOUND, GrpcErrors.NOT_FOUND));
        add("GetCalibration: confidence 1.5", () -> Calls.grpc(() -> calls.forecast().getCalibration(
                GetCalibrationRequest.newBuilder().setConfidence(1.5).build()), r -> "answered"), invalid("confidence"));
        add("GetCalibration: confidence NaN", () -> Calls.grpc(() -> calls.forecast().getCalibration(
                GetCalibrationRequest.newBuilder().setConfidence(Double.NaN).build()), r -> "answered"), invalid("confidence"));
        add("GetCalibration: to before from", () -> Calls.grpc(() -> calls.forecast().getCalibration(
                GetCalibrationRequest.newBuilder().setFrom(at("2026-02-01T00:00:00Z")).setTo(at("2026-01-01T00:00:00Z")).build()),
                r -> "answered"), invalid("to"));
        add("CompareForecast: baseline_version -1", () -> Calls.grpc(() -> calls.forecast().compareForecast(
                CompareForecastRequest.newBuilder().setBaselineVersion(-1).build()), r -> "answered"), invalid("baseline_version"));
        add("CompareForecast: page_size -1", () -> Calls.grpc(() -> calls.forecast().compareForecast(
                CompareForecastRequest.newBuilder().setPageSize(-1).build()), r -> "answered"), invalid("page_size"));
        add("CompareForecast: page_token not a token", () -> Calls.grpc(() -> calls.forecast().compareForecast(
                CompareForecastRequest.newBuilder().setPageToken("%%%").build()), r -> "answered"), invalid("page_token"));
    }

    private void metrics() {
        metric("granularity 9 (unknown)", r -> r.setGranularityValue(9), invalid("granularity"));
        metric("known_at in the year 3000", r -> r.setKnownAt(FAR_FUTURE), invalid("known_at"));
        metric("from after to", r -> r.setFrom(at("2026-02-01T00:00:00Z")).setTo(at("2026-01-01T00:00:00Z")), invalid("from"));
        metric("from year 1 (too many periods)", r -> r.setFrom(Timestamp.newBuilder().setSeconds(-62_135_596_800L)), invalid("from"));
        metric("to nanos 2,000,000,000", r -> r.setTo(Timestamp.newBuilder().setSeconds(1).setNanos(2_000_000_000)), invalid("to"));
    }

    private void definitions() {
        publish("without a definition", null, invalid("definition"));
        publish("a weight of NaN", d -> d.setEngagement(d.getEngagement().toBuilder().clearWeights()
                .addWeights(ActionWeight.newBuilder().setAction("report_created").setWeight(Double.NaN))),
                invalid("definition.engagement.weights[0].weight"));
        publish("a weight of -1", d -> d.setEngagement(d.getEngagement().toBuilder().clearWeights()
                .addWeights(ActionWeight.newBuilder().setAction("report_created").setWeight(-1))),
                invalid("definition.engagement.weights[0].weight"));
        publish("a weight of 10^6 + 1", d -> d.setEngagement(d.getEngagement().toBuilder().clearWeights()
                .addWeights(ActionWeight.newBuilder().setAction("report_created").setWeight(1_000_001))),
                invalid("definition.engagement.weights[0].weight"));
        publish("default_weight +Infinity", d -> d.setEngagement(d.getEngagement().toBuilder().setDefaultWeight(Double.POSITIVE_INFINITY)),
                invalid("definition.engagement.default_weight"));
        publish("an activation cut-off of 1.5", d -> d.setLevels(d.getLevels().toBuilder()
                .setActivation(Cutoffs.newBuilder().setHigh(1.5).setMedium(0.5))), invalid("definition.levels.activation.high"));
        publish("an engagement cut-off of 10^16", d -> d.setLevels(d.getLevels().toBuilder()
                .setEngagement(Cutoffs.newBuilder().setHigh(1e16).setMedium(1))), invalid("definition.levels.engagement.high"));
        publish("an engagement cut-off of NaN", d -> d.setLevels(d.getLevels().toBuilder()
                .setEngagement(Cutoffs.newBuilder().setHigh(100).setMedium(Double.NaN))), invalid("definition.levels.engagement.medium"));
        publish("a PQL threshold of -0.1", d -> d.setPql(d.getPql().toBuilder().setSmallThreshold(-0.1)),
                invalid("definition.pql.small_threshold"));
        publish("odds of 2", d -> d.clearPersonaOdds().addPersonaOdds(PersonaOdds.newBuilder()
                .setPersonaValue(1).setOdds(2)), invalid("definition.persona_odds[0].odds"));
        publish("a step's min_count of 0", d -> d.setActivation(d.getActivation().toBuilder()
                .setSteps(0, d.getActivation().getSteps(0).toBuilder().setMinCount(0))), invalid("definition.activation.steps[0].min_count"));
        publish("a trigger count of +Infinity", d -> d.setPql(d.getPql().toBuilder().clearTriggers()
                .addTriggers(BehaviouralTrigger.newBuilder().setAction("message_sent").setCount(Double.POSITIVE_INFINITY))),
                invalid("definition.pql.triggers[0].count"));
        publish("a name of 101 characters", d -> d.setName("n".repeat(101)), invalid("definition.name"));
        publish("product_complexity 9 (unknown)", d -> d.setProductComplexityValue(9), invalid("definition.product_complexity"));
        add("GetDefinition: version 999 (unknown)", () -> Calls.grpc(() -> calls.definitions().getDefinition(
                GetDefinitionRequest.newBuilder().setVersion(999).build()), r -> "answered"),
                Expected.grpc(Status.Code.NOT_FOUND, GrpcErrors.NOT_FOUND));
        add("GetDefinition: version -1", () -> Calls.grpc(() -> calls.definitions().getDefinition(
                GetDefinitionRequest.newBuilder().setVersion(-1).build()), r -> "answered"), invalid("version"));
        add("ListDefinitions: page_size 501", () -> Calls.grpc(() -> calls.definitions().listDefinitions(
                ListDefinitionsRequest.newBuilder().setPageSize(501).build()), r -> "answered"), invalid("page_size"));
        add("ListDefinitions: page_token not a token", () -> Calls.grpc(() -> calls.definitions().listDefinitions(
                ListDefinitionsRequest.newBuilder().setPageToken("AAAA").build()), r -> "answered"), invalid("page_token"));
        add("StartRescore: version 999 (unknown)", () -> Calls.grpc(() -> calls.definitions().startRescore(
                StartRescoreRequest.newBuilder().setVersion(999).build()), r -> "answered"),
                Expected.grpc(Status.Code.NOT_FOUND, GrpcErrors.NOT_FOUND));
        add("StartRescore: version 0", () -> Calls.grpc(() -> calls.definitions().startRescore(
                StartRescoreRequest.getDefaultInstance()), r -> "answered"), invalid("version"));
        add("PromoteDefinition: version 999 (unknown)", () -> Calls.grpc(() -> calls.definitions().promoteDefinition(
                PromoteDefinitionRequest.newBuilder().setVersion(999).build()), r -> "answered"),
                Expected.grpc(Status.Code.NOT_FOUND, GrpcErrors.NOT_FOUND));
        add("PromoteDefinition: version -7", () -> Calls.grpc(() -> calls.definitions().promoteDefinition(
                PromoteDefinitionRequest.newBuilder().setVersion(-7).build()), r -> "answered"), invalid("version"));
        add("DiffRescore: version 0", () -> Calls.grpc(() -> calls.definitions().diffRescore(
                DiffRescoreRequest.getDefaultInstance()), r -> "answered"), invalid("version"));
        add("GetDefinitionPreset: complexity 7 (unknown)", () -> Calls.grpc(() -> calls.definitions().getDefinitionPreset(
                GetDefinitionPresetRequest.newBuilder().setProductComplexityValue(7).build()), r -> "answered"),
                invalid("product_complexity"));
    }

    // --- case shapes ---

    private void add(String name, Callable<Outcome> call, Expected expected) {
        cases.add(new HostileCase(name, Transport.GRPC, call, expected));
    }

    private void score(String name, UnaryOperator<GetAccountScoreRequest.Builder> request, Expected expected) {
        add("GetAccountScore: " + name, () -> Calls.grpc(() -> calls.scoring().getAccountScore(
                request.apply(GetAccountScoreRequest.newBuilder()).build()), r -> r.getAccountId()), expected);
    }

    private void list(String name, UnaryOperator<ListAccountScoresRequest.Builder> request, Expected expected) {
        add("ListAccountScores: " + name, () -> Calls.grpc(() -> calls.scoring().listAccountScores(
                request.apply(ListAccountScoresRequest.newBuilder()).build()), r -> r.getTotalSize() + " accounts"), expected);
    }

    private void forecast(String name, UnaryOperator<GetForecastRequest.Builder> request, Expected expected) {
        add("GetForecast: " + name, () -> Calls.grpc(() -> calls.forecast().getForecast(
                request.apply(GetForecastRequest.newBuilder()).build()), r -> r.getOpenTrials() + " open trials"), expected);
    }

    private void metric(String name, UnaryOperator<GetPqlMetricsRequest.Builder> request, Expected expected) {
        add("GetPqlMetrics: " + name, () -> Calls.grpc(() -> calls.metrics().getPqlMetrics(
                request.apply(GetPqlMetricsRequest.newBuilder()).build()), r -> "answered"), expected);
    }

    /** validate_only: nothing is stored whatever the case. */
    private void publish(String name, UnaryOperator<ScoringDefinition.Builder> spoil, Expected expected) {
        add("PublishDefinition: " + name, () -> {
            PublishDefinitionRequest.Builder request = PublishDefinitionRequest.newBuilder().setValidateOnly(true);
            if (spoil != null) {
                ScoringDefinition preset = calls.definitions().getDefinitionPreset(GetDefinitionPresetRequest.newBuilder()
                        .setProductComplexity(ProductComplexity.PRODUCT_COMPLEXITY_INTERMEDIATE).build());
                request.setDefinition(spoil.apply(preset.toBuilder().setName("hostile")));
            }
            return Calls.grpc(() -> calls.definitions().publishDefinition(request.build()), r -> "answered");
        }, expected);
    }

    /** A real token: the second page of accounts by engagement, one per page. */
    private String tokenOfEngagementOrder() {
        String token = calls.scoring().listAccountScores(ListAccountScoresRequest.newBuilder().setPageSize(1)
                .setOrderBy(AccountOrder.ACCOUNT_ORDER_ENGAGEMENT_DESC).build()).getNextPageToken();
        if (token.isEmpty()) {
            throw new IllegalStateException("the suite's accounts are stored before the reads run: a second page exists");
        }
        return token;
    }

    /** A token of this very request with its last character changed: the checksum no longer holds. */
    private String damagedToken() {
        String token = pql.common.grpc.PageTokens.encode(1L, 1.0, "hx-someone");
        char last = token.charAt(token.length() - 1);
        return token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
    }
}
