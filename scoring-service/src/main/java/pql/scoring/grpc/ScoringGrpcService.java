package pql.scoring.grpc;

import static pql.scoring.grpc.ScoringStatuses.ERRORS;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import pql.common.grpc.GrpcErrors;
import pql.common.grpc.PageTokens;
import pql.scoring.app.AccountFilter;
import pql.scoring.app.AccountOrder;
import pql.scoring.app.ProjectionRollout;
import pql.scoring.app.ScoreQueries;
import pql.scoring.app.TransitionHub;
import pql.scoring.domain.score.AccountScore;
import pql.scoring.domain.score.PqlTransition;
import pql.scoring.app.ExchangeRateLog;
import pql.v1.ExchangeRateRecord;
import pql.v1.GetAccountScoreRequest;
import pql.v1.ListExchangeRatesRequest;
import pql.v1.ListExchangeRatesResponse;
import pql.v1.ListAccountScoresRequest;
import pql.v1.ListAccountScoresResponse;
import pql.v1.ScoringServiceGrpc;
import pql.v1.StreamAccountScoresRequest;
import pql.v1.StreamAccountScoresResponse;
import pql.v1.WatchPqlTransitionsRequest;

/** ScoringService: account scores, the PQL spectrum, exports, live PQL transitions and the recorded exchange rates. */
public final class ScoringGrpcService extends ScoringServiceGrpc.ScoringServiceImplBase {

    static final int LIST_DEFAULT = 50;
    static final int LIST_MAX = 1000;
    static final int RECENT_MAX = 1000;

    private final ScoreQueries queries;
    private final ProjectionRollout projections;
    private final TransitionHub hub;
    private final Executor fanout;
    private final Clock clock;
    private final ExchangeRateLog exchangeRates;

    /** @param clock "now" for the requests' checks: as_of and known_at may not be in the future */
    public ScoringGrpcService(ScoreQueries queries, ProjectionRollout projections, TransitionHub hub, Executor fanout,
            Clock clock, ExchangeRateLog exchangeRates) {
        this.exchangeRates = exchangeRates;
        this.queries = queries;
        this.projections = projections;
        this.hub = hub;
        this.fanout = fanout;
        this.clock = clock;
    }

    @Override
    public void listExchangeRates(ListExchangeRatesRequest request, StreamObserver<ListExchangeRatesResponse> observer) {
        ERRORS.unary(observer, () -> {
            Requests checks = new Requests();
            Long knownAt = checks.pastInstant("known_at", request.hasKnownAt(), request.getKnownAt(), clock);
            checks.require(request.getAfterSequence() >= 0, "after_sequence", "must not be negative");
            checks.throwIfAny();
            ListExchangeRatesResponse.Builder response = ListExchangeRatesResponse.newBuilder();
            for (ExchangeRateLog.Entry entry : exchangeRates.after(request.getAfterSequence())) {
                if (knownAt == null || entry.recordedAtMillis() <= knownAt) {
                    response.addRates(ExchangeRateRecord.newBuilder().setSequence(entry.sequence())
                            .setEventId(entry.eventId()).setBase(entry.base()).setQuote(entry.quote())
                            .setRate(entry.rate()).setEffectiveDate(entry.effectiveDate())
                            .setRecordedAt(ScoreProtos.timestamp(entry.recordedAtMillis())));
                }
            }
            return response.setLastSequence(exchangeRates.lastSequence()).build();
        });
    }

    @Override
    public void getAccountScore(GetAccountScoreRequest request, StreamObserver<pql.v1.AccountScore> observer) {
        ERRORS.unary(observer, () -> {
            Requests checks = new Requests();
            checks.accountId("account_id", request.getAccountId(), true);
            checks.version("definition_version", request.getDefinitionVersion());
            Long asOf = checks.pastInstant("as_of", request.hasAsOf(), request.getAsOf(), clock);
            Long knownAt = checks.pastInstant("known_at", request.hasKnownAt(), request.getKnownAt(), clock);
            checks.throwIfAny();
            pql.v1.AccountScore score = ScoreProtos.toProto(queries.accountScore(request.getAccountId(), asOf,
                    request.getDefinitionVersion(), true, knownAt));
            return knownAt == null ? score.toBuilder().setHeadPosition(queries.headPosition(request.getDefinitionVersion())).build()
                    : score.toBuilder().setKnownAt(ScoreProtos.timestamp(knownAt))
                            .setHeadPosition(queries.positionKnownAt(knownAt)).build();
        });
    }

    @Override
    public void listAccountScores(ListAccountScoresRequest request, StreamObserver<ListAccountScoresResponse> observer) {
        ERRORS.unary(observer, () -> {
            Requests checks = new Requests();
            AccountFilter filter = checks.filter("filter", request.getFilter());
            AccountOrder order = checks.order("order_by", request.getOrderBy());
            int pageSize = checks.pageSize("page_size", request.getPageSize(), LIST_DEFAULT, LIST_MAX);
            checks.version("definition_version", request.getDefinitionVersion());
            boolean full = checks.fullView("view", request.getView());
            Long asOf = checks.pastInstant("as_of", request.hasAsOf(), request.getAsOf(), clock);
            Long knownAt = checks.pastInstant("known_at", request.hasKnownAt(), request.getKnownAt(), clock);
            checks.throwIfAny();
            int version = projections.resolve(request.getDefinitionVersion());
            // a page of one instant's spectrum does not continue another's: as_of and known_at bind the token too
            long fingerprint = asOf == null && knownAt == null
                    ? PageTokens.fingerprint(request.getFilter().toByteArray(), new byte[] {(byte) order.ordinal()},
                            Integer.toString(version).getBytes())
                    : PageTokens.fingerprint(request.getFilter().toByteArray(), new byte[] {(byte) order.ordinal()},
                            Integer.toString(version).getBytes(), (asOf + "/" + knownAt).getBytes());
            PageTokens.Position after = PageTokens.decode(request.getPageToken(), fingerprint);
            ScoreQueries.ScorePage page = queries.list(filter, order, pageSize,
                    after == null ? null : new ScoreQueries.Cursor(after.key(), after.id()), version, full, asOf, knownAt);
            ListAccountScoresResponse.Builder response = ListAccountScoresResponse.newBuilder()
                    .setTotalSize(page.totalSize())
                    .setHeadPosition(page.headPosition())
                    .setAsOf(ScoreProtos.timestamp(page.instant()));
            if (knownAt != null) {
                response.setKnownAt(ScoreProtos.timestamp(knownAt));
            }
            page.scores().forEach(score -> response.addScores(ScoreProtos.toProto(score)));
            if (page.next() != null) {
                response.setNextPageToken(PageTokens.encode(fingerprint, page.next().key(), page.next().accountId()));
            }
            return response.build();
        });
    }

    @Override
    public void streamAccountScores(StreamAccountScoresRequest request,
            StreamObserver<StreamAccountScoresResponse> responseObserver) {
        ServerCallStreamObserver<StreamAccountScoresResponse> observer =
                (ServerCallStreamObserver<StreamAccountScoresResponse>) responseObserver;
        ScoreQueries.Export export;
        StreamAccountScoresResponse.Builder echo;
        try {
            Requests checks = new Requests();
            AccountFilter filter = checks.filter("filter", request.getFilter());
            checks.version("definition_version", request.getDefinitionVersion());
            Long asOf = checks.pastInstant("as_of", request.hasAsOf(), request.getAsOf(), clock);
            Long knownAt = checks.pastInstant("known_at", request.hasKnownAt(), request.getKnownAt(), clock);
            boolean full = checks.fullView("view", request.getView());
            checks.require(request.getChangedAfterPosition() >= 0, "changed_after_position", "must be >= 0");
            checks.throwIfAny();
            export = queries.export(filter, request.getDefinitionVersion(), asOf, full,
                    asOf == null && knownAt == null ? request.getChangedAfterPosition() : 0, knownAt);
            echo = StreamAccountScoresResponse.newBuilder().setAsOf(ScoreProtos.timestamp(export.instant()));
            if (knownAt != null) {
                echo.setKnownAt(ScoreProtos.timestamp(knownAt));
            }
        } catch (RuntimeException e) {
            observer.onError(ERRORS.toStatus(e));
            return;
        }
        AtomicBoolean done = new AtomicBoolean();
        StreamAccountScoresResponse instants = echo.build();
        Runnable pump = new Runnable() {
            private boolean sentAny;

            @Override
            public synchronized void run() {
                if (done.get()) {
                    return;
                }
                try {
                    while (observer.isReady() && export.hasNext()) {
                        List<AccountScore> chunk = export.next();
                        StreamAccountScoresResponse.Builder response = instants.toBuilder()
                                .setHeadPosition(export.headPosition());
                        chunk.forEach(score -> response.addScores(ScoreProtos.toProto(score)));
                        observer.onNext(response.build());
                        sentAny = true;
                    }
                    if (!export.hasNext() && done.compareAndSet(false, true)) {
                        if (!sentAny) {
                            // an empty export still tells the caller where the projection stands
                            observer.onNext(instants.toBuilder().setHeadPosition(export.headPosition()).build());
                        }
                        export.close();
                        observer.onCompleted();
                    }
                } catch (RuntimeException e) {
                    if (done.compareAndSet(false, true)) {
                        export.close();
                        observer.onError(ERRORS.toStatus(e));
                    }
                }
            }
        };
        observer.setOnCancelHandler(() -> {
            done.set(true);
            export.close();
        });
        observer.setOnReadyHandler(pump);
        pump.run();
    }

    @Override
    public void watchPqlTransitions(WatchPqlTransitionsRequest request,
            StreamObserver<pql.v1.PqlTransition> responseObserver) {
        ServerCallStreamObserver<pql.v1.PqlTransition> observer =
                (ServerCallStreamObserver<pql.v1.PqlTransition>) responseObserver;
        Requests checks = new Requests();
        checks.accountId("account_id", request.getAccountId(), false);
        checks.require(request.getRecent() >= 0 && request.getRecent() <= RECENT_MAX, "recent",
                "must be 0.." + RECENT_MAX + ", got " + request.getRecent());
        try {
            checks.throwIfAny();
        } catch (RuntimeException e) {
            observer.onError(ERRORS.toStatus(e));
            return;
        }
        String accountId = request.getAccountId().isEmpty() ? null : request.getAccountId();
        Watcher watcher = new Watcher(observer);
        watcher.subscription = hub.subscribe(accountId, () -> fanout.execute(watcher::drain));
        observer.setOnCancelHandler(watcher::stop);
        observer.setOnReadyHandler(() -> fanout.execute(watcher::drain));
        List<PqlTransition> recent = request.getRecent() == 0 ? List.of()
                : projections.serving().recentTransitions(request.getRecent(), accountId);
        synchronized (watcher) {
            for (PqlTransition transition : recent) {
                observer.onNext(ScoreProtos.toProto(transition));
                watcher.sentRecent.add(transition);
            }
        }
        fanout.execute(watcher::drain);
    }

    /** One WatchPqlTransitions call: drains its queue when the client can take more. */
    private final class Watcher {
        private final ServerCallStreamObserver<pql.v1.PqlTransition> observer;
        private TransitionHub.Subscription subscription;
        /**
         * The recent transitions sent first: the same ones may come live too, and are skipped by identity
         * (a time-driven transition carries an older log position than the events around it).
         */
        private final java.util.Set<PqlTransition> sentRecent =
                java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        private boolean stopped;

        Watcher(ServerCallStreamObserver<pql.v1.PqlTransition> observer) {
            this.observer = observer;
        }

        synchronized void drain() {
            if (stopped || subscription == null) {
                return;
            }
            if (subscription.overflowed()) {
                stop();
                observer.onError(GrpcErrors.error(Status.Code.RESOURCE_EXHAUSTED, "SUBSCRIBER_TOO_SLOW",
                        "too slow: the transition stream fell a whole queue behind; reconnect"));
                return;
            }
            while (observer.isReady()) {
                PqlTransition next = subscription.poll();
                if (next == null) {
                    return;
                }
                // transitions already sent among the recent ones come live too: skip them once
                if (!sentRecent.isEmpty() && sentRecent.remove(next)) {
                    continue;
                }
                observer.onNext(ScoreProtos.toProto(next));
            }
        }

        synchronized void stop() {
            stopped = true;
            if (subscription != null) {
                hub.unsubscribe(subscription);
            }
        }
    }
}
