package pql.scoring.grpc;

import static pql.scoring.grpc.ScoringStatuses.ERRORS;

import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import pql.common.grpc.PageTokens;
import pql.scoring.app.DefinitionBacktests;
import pql.scoring.app.DefinitionRecord;
import pql.scoring.app.DefinitionRegistry;
import pql.scoring.app.DefinitionSuggestions;
import pql.scoring.app.ProjectionRollout;
import pql.scoring.app.RescoreDiff;
import pql.scoring.app.RescoreProgress;
import pql.scoring.app.ScoringException;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.definition.DefinitionPresets;
import pql.scoring.domain.definition.DefinitionValidator;
import pql.scoring.domain.definition.ValidationReport;
import pql.scoring.domain.definition.Violation;
import pql.scoring.domain.discovery.DiscoverySettings;
import pql.scoring.domain.score.AccountSummary;
import pql.scoring.wire.DefinitionProtos;
import pql.v1.AccountScoreChange;
import pql.v1.BacktestDefinitionRequest;
import pql.v1.BacktestDefinitionResponse;
import pql.v1.DefinitionServiceGrpc;
import pql.v1.DefinitionStatus;
import pql.v1.DefinitionVersion;
import pql.v1.DefinitionWarning;
import pql.v1.DiffRescoreRequest;
import pql.v1.DiffRescoreResponse;
import pql.v1.DiscardRescoreRequest;
import pql.v1.GetDefinitionPresetRequest;
import pql.v1.GetDefinitionRequest;
import pql.v1.GetRescoreRequest;
import pql.v1.ListDefinitionsRequest;
import pql.v1.ListDefinitionsResponse;
import pql.v1.PromoteDefinitionRequest;
import pql.v1.PublishDefinitionRequest;
import pql.v1.PublishDefinitionResponse;
import pql.v1.RescoreStatus;
import pql.v1.ScoringDefinition;
import pql.v1.StartRescoreRequest;
import pql.v1.SuggestDefinitionRequest;
import pql.v1.SuggestDefinitionResponse;

/** DefinitionService: versioned scoring definitions and the rescore lifecycle. */
public final class DefinitionGrpcService extends DefinitionServiceGrpc.DefinitionServiceImplBase {

    static final int LIST_DEFAULT = 50;
    static final int LIST_MAX = 500;
    static final int DIFF_DEFAULT = 100;
    static final int DIFF_MAX = 1000;

    private final DefinitionRegistry registry;
    private final ProjectionRollout projections;
    private final DefinitionBacktests backtests;
    private final DefinitionSuggestions suggestions;

    public DefinitionGrpcService(DefinitionRegistry registry, ProjectionRollout projections, DefinitionBacktests backtests,
            DefinitionSuggestions suggestions) {
        this.registry = registry;
        this.projections = projections;
        this.backtests = backtests;
        this.suggestions = suggestions;
    }

    @Override
    public void publishDefinition(PublishDefinitionRequest request, StreamObserver<PublishDefinitionResponse> observer) {
        ERRORS.unary(observer, () -> {
            if (!request.hasDefinition()) {
                throw ScoringException.InvalidRequest.of("definition", "required");
            }
            List<Violation> wireProblems = new ArrayList<>();
            var draft = DefinitionProtos.toDraft(request.getDefinition(), wireProblems);
            ValidationReport report = DefinitionValidator.validate(draft);
            List<Violation> errors = new ArrayList<>(wireProblems);
            for (Violation error : report.errors()) {
                if (errors.stream().noneMatch(e -> e.field().equals(error.field()))) {
                    errors.add(error);
                }
            }
            if (!errors.isEmpty()) {
                throw ScoringStatuses.invalidArgument(errors, "definition");
            }
            PublishDefinitionResponse.Builder response = PublishDefinitionResponse.newBuilder()
                    .setDefinition(DefinitionProtos.toProto(report.definition()));
            report.warnings().forEach(w -> response.addWarnings(DefinitionWarning.newBuilder()
                    .setField(w.field()).setMessage(w.message())));
            if (!request.getValidateOnly()) {
                response.setVersion(registry.publish(report.definition(), Principals.current()).version());
            }
            return response.build();
        });
    }

    @Override
    public void getDefinition(GetDefinitionRequest request, StreamObserver<DefinitionVersion> observer) {
        ERRORS.unary(observer, () -> {
            Requests checks = new Requests();
            checks.version("version", request.getVersion());
            checks.throwIfAny();
            int version = projections.resolve(request.getVersion());
            return toProto(registry.get(version).orElseThrow());
        });
    }

    @Override
    public void listDefinitions(ListDefinitionsRequest request, StreamObserver<ListDefinitionsResponse> observer) {
        ERRORS.unary(observer, () -> {
            Requests checks = new Requests();
            int pageSize = checks.pageSize("page_size", request.getPageSize(), LIST_DEFAULT, LIST_MAX);
            checks.throwIfAny();
            registry.refresh();
            long fingerprint = PageTokens.fingerprint("definitions".getBytes());
            PageTokens.Position after = PageTokens.decode(request.getPageToken(), fingerprint);
            ListDefinitionsResponse.Builder response = ListDefinitionsResponse.newBuilder();
            List<DefinitionRecord> all = registry.all();
            int taken = 0;
            for (DefinitionRecord record : all) {
                if (after != null && record.version() >= (int) after.key()) {
                    continue;
                }
                if (taken == pageSize) {
                    DefinitionRecord last = all.get(all.indexOf(record) - 1);
                    response.setNextPageToken(PageTokens.encode(fingerprint, last.version(), ""));
                    break;
                }
                response.addDefinitions(toProto(record));
                taken++;
            }
            return response.build();
        });
    }

    @Override
    public void getDefinitionPreset(GetDefinitionPresetRequest request, StreamObserver<ScoringDefinition> observer) {
        ERRORS.unary(observer, () -> {
            ProductComplexity complexity = Enums.fromProto(request.getProductComplexity(), "PRODUCT_COMPLEXITY_",
                    ProductComplexity.class);
            if (complexity == null) {
                throw ScoringException.InvalidRequest.of("product_complexity", "required: PRODUCT_COMPLEXITY_SIMPLE, "
                        + "PRODUCT_COMPLEXITY_INTERMEDIATE or PRODUCT_COMPLEXITY_COMPLEX");
            }
            return DefinitionProtos.toProto(DefinitionPresets.forComplexity(complexity));
        });
    }

    @Override
    public void startRescore(StartRescoreRequest request, StreamObserver<RescoreStatus> observer) {
        ERRORS.unary(observer, () -> toProto(projections.startRescore(requireVersion(request.getVersion()))));
    }

    @Override
    public void getRescore(GetRescoreRequest request, StreamObserver<RescoreStatus> observer) {
        ERRORS.unary(observer, () -> toProto(projections.rescoreProgress(requireVersion(request.getVersion()))));
    }

    @Override
    public void diffRescore(DiffRescoreRequest request, StreamObserver<DiffRescoreResponse> observer) {
        ERRORS.unary(observer, () -> {
            Requests checks = new Requests();
            checks.require(request.getVersion() > 0, "version", "required, >= 1");
            int pageSize = checks.pageSize("page_size", request.getPageSize(), DIFF_DEFAULT, DIFF_MAX);
            checks.throwIfAny();
            long fingerprint = PageTokens.fingerprint(("diff-" + request.getVersion()).getBytes());
            PageTokens.Position after = PageTokens.decode(request.getPageToken(), fingerprint);
            RescoreDiff diff = projections.diff(request.getVersion(), pageSize, after == null ? null : after.id());
            DiffRescoreResponse.Builder response = DiffRescoreResponse.newBuilder()
                    .setBaselineVersion(diff.baselineVersion())
                    .setCandidateVersion(diff.candidateVersion())
                    .setAccountsCompared(diff.accountsCompared())
                    .setAccountsChanged(diff.accountsChanged())
                    .setPqlGained(diff.pqlGained())
                    .setPqlLost(diff.pqlLost());
            diff.changes().forEach(change -> response.addChanges(toProto(change)));
            if (diff.nextAccountId() != null) {
                response.setNextPageToken(PageTokens.encode(fingerprint, 0, diff.nextAccountId()));
            }
            return response.build();
        });
    }

    @Override
    public void promoteDefinition(PromoteDefinitionRequest request, StreamObserver<DefinitionVersion> observer) {
        ERRORS.unary(observer, () -> toProto(projections.promote(requireVersion(request.getVersion()),
                Principals.current())));
    }

    @Override
    public void discardRescore(DiscardRescoreRequest request, StreamObserver<RescoreStatus> observer) {
        ERRORS.unary(observer, () -> toProto(projections.discard(requireVersion(request.getVersion()))));
    }

    @Override
    public void backtestDefinition(BacktestDefinitionRequest request, StreamObserver<BacktestDefinitionResponse> observer) {
        ERRORS.unary(observer, () -> {
            Requests checks = new Requests();
            checks.version("version", request.getVersion());
            checks.require(request.hasFrom(), "from", "required: the start of the period (trials closed at or after it)");
            checks.require(request.hasTo(), "to", "required: the end of the period (trials closed before it)");
            Long from = checks.instant("from", request.hasFrom(), request.getFrom());
            Long to = checks.instant("to", request.hasTo(), request.getTo());
            checks.require(from == null || to == null || from < to, "to", "must be after from");
            checks.throwIfAny();
            return BacktestProtos.toProto(backtests.backtest(request.getVersion(), from, to));
        });
    }

    private static int requireVersion(int version) {
        if (version <= 0) {
            throw ScoringException.InvalidRequest.of("version", "required, >= 1, got " + version);
        }
        return version;
    }

    private DefinitionVersion toProto(DefinitionRecord record) {
        DefinitionVersion.Builder builder = DefinitionVersion.newBuilder()
                .setVersion(record.version())
                .setDefinition(DefinitionProtos.toProto(record.definition()))
                .setStatus(DefinitionStatus.valueOf("DEFINITION_STATUS_" + projections.statusOf(record).name()))
                .setPublishedAt(ScoreProtos.timestamp(record.publishedAt()))
                .setPublishedBy(record.publishedBy() == null ? "" : record.publishedBy());
        if (record.everActivated()) {
            builder.setActivatedAt(ScoreProtos.timestamp(record.activatedAt()));
        }
        return builder.build();
    }

    private static RescoreStatus toProto(RescoreProgress progress) {
        RescoreStatus.Builder builder = RescoreStatus.newBuilder()
                .setVersion(progress.version())
                .setStatus(DefinitionStatus.valueOf("DEFINITION_STATUS_" + progress.status().name()))
                .setEventsDone(progress.eventsDone())
                .setEventsTotal(progress.eventsTotal())
                .setEventsPerSecond(progress.eventsPerSecond())
                .setEtaSeconds(progress.etaSeconds());
        if (progress.startedAtMillis() != Long.MIN_VALUE) {
            builder.setStartedAt(ScoreProtos.timestamp(progress.startedAtMillis()));
        }
        if (progress.caughtUpAtMillis() != Long.MIN_VALUE) {
            builder.setCaughtUpAt(ScoreProtos.timestamp(progress.caughtUpAtMillis()));
        }
        return builder.build();
    }

    private static AccountScoreChange toProto(RescoreDiff.Change change) {
        AccountScoreChange.Builder builder = AccountScoreChange.newBuilder().setAccountId(change.accountId());
        AccountSummary before = change.before();
        AccountSummary after = change.after();
        if (before != null) {
            builder.setPqlBefore(before.isPql()).setActivationRateBefore(before.activationRate());
            pql.scoring.domain.PqlKind.fromMask(before.kindsMask()).forEach(k -> builder.addKindsBefore(Enums.toProto(k)));
            if (before.activationLevel() != null) {
                builder.setActivationLevelBefore(Enums.toProto(before.activationLevel()))
                        .setEngagementLevelBefore(Enums.toProto(before.engagementLevel()))
                        .setCommunicationLevelBefore(Enums.toProto(before.communicationLevel()));
            }
        }
        if (after != null) {
            builder.setPqlAfter(after.isPql()).setActivationRateAfter(after.activationRate());
            pql.scoring.domain.PqlKind.fromMask(after.kindsMask()).forEach(k -> builder.addKindsAfter(Enums.toProto(k)));
            if (after.activationLevel() != null) {
                builder.setActivationLevelAfter(Enums.toProto(after.activationLevel()))
                        .setEngagementLevelAfter(Enums.toProto(after.engagementLevel()))
                        .setCommunicationLevelAfter(Enums.toProto(after.communicationLevel()));
            }
        }
        return builder.build();
    }

    @Override
    public void suggestDefinition(SuggestDefinitionRequest request, StreamObserver<SuggestDefinitionResponse> observer) {
        ERRORS.unary(observer, () -> {
            Requests checks = new Requests();
            Long from = checks.instant("from", request.hasFrom(), request.getFrom());
            Long to = checks.instant("to", request.hasTo(), request.getTo());
            checks.require(request.hasFrom(), "from", "required");
            checks.require(request.hasTo(), "to", "required");
            double rate = request.getFalseDiscoveryRate() == 0 ? DiscoverySettings.DEFAULT_FDR : request.getFalseDiscoveryRate();
            checks.require(rate > 0 && rate < 1, "false_discovery_rate", "must be between 0 and 1 (0 for the default 0.05)");
            checks.throwIfAny();
            return SuggestionProtos.toProto(suggestions.suggest(from, to, rate), request.getFrom(), request.getTo());
        });
    }
}
