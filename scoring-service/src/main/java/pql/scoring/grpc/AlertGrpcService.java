package pql.scoring.grpc;

import static pql.scoring.grpc.ScoringStatuses.ERRORS;

import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import pql.scoring.alerts.AlertDispatcher;
import pql.scoring.alerts.AlertSubscriptions;
import pql.scoring.alerts.Subscription;
import pql.scoring.alerts.Webhook;
import pql.scoring.app.ScoringException;
import pql.scoring.domain.definition.Violation;
import pql.scoring.store.StoreSubscriptionLog;
import pql.v1.AddAlertSubscriptionRequest;
import pql.v1.AlertDeliveryStats;
import pql.v1.AlertFilter;
import pql.v1.AlertFormat;
import pql.v1.AlertServiceGrpc;
import pql.v1.AlertSubscription;
import pql.v1.ListAlertSubscriptionsRequest;
import pql.v1.ListAlertSubscriptionsResponse;
import pql.v1.RemoveAlertSubscriptionRequest;
import pql.v1.RemoveAlertSubscriptionResponse;
import pql.v1.TestAlertSubscriptionRequest;
import pql.v1.TestAlertSubscriptionResponse;

/** AlertService: webhook subscriptions at run time (the gateway asks for alerts:admin on every method). */
public final class AlertGrpcService extends AlertServiceGrpc.AlertServiceImplBase {

    private final AlertSubscriptions subscriptions;
    private final AlertDispatcher dispatcher;

    public AlertGrpcService(AlertSubscriptions subscriptions, AlertDispatcher dispatcher) {
        this.subscriptions = subscriptions;
        this.dispatcher = dispatcher;
    }

    @Override
    public void addAlertSubscription(AddAlertSubscriptionRequest request, StreamObserver<AlertSubscription> observer) {
        ERRORS.unary(observer, () -> {
            List<Violation> problems = new ArrayList<>();
            AlertSubscriptions.checkUrl(request.getUrl(), "url").ifPresent(problems::add);
            if (request.getFormat() == AlertFormat.UNRECOGNIZED) {
                problems.add(new Violation("format", "unknown value " + request.getFormatValue()));
            }
            checkEnums(request.getFilter(), problems);
            if (!problems.isEmpty()) {
                throw new ScoringException.InvalidRequest(problems);
            }
            Subscription added = subscriptions.add(request.getUrl(), StoreSubscriptionLog.formatOf(request.getFormat()),
                    StoreSubscriptionLog.filterOf(request.getFilter()), Principals.current());
            return toProto(added).setSecret(added.secret()).build();
        });
    }

    private static void checkEnums(AlertFilter filter, List<Violation> problems) {
        for (int i = 0; i < filter.getSizesCount(); i++) {
            var size = filter.getSizes(i);
            if (size == pql.v1.OpportunitySize.UNRECOGNIZED || size == pql.v1.OpportunitySize.OPPORTUNITY_SIZE_UNSPECIFIED) {
                problems.add(new Violation("filter.sizes[" + i + "]", "must be SMALL, MID or LARGE"));
            }
        }
        for (int i = 0; i < filter.getKindsCount(); i++) {
            var kind = filter.getKinds(i);
            if (kind == pql.v1.PqlKind.UNRECOGNIZED || kind == pql.v1.PqlKind.PQL_KIND_UNSPECIFIED) {
                problems.add(new Violation("filter.kinds[" + i + "]", "must be a PQL kind"));
            }
        }
        for (int i = 0; i < filter.getPersonasCount(); i++) {
            var persona = filter.getPersonas(i);
            if (persona == pql.v1.Persona.UNRECOGNIZED || persona == pql.v1.Persona.PERSONA_UNSPECIFIED) {
                problems.add(new Violation("filter.personas[" + i + "]", "must be a persona"));
            }
        }
    }

    @Override
    public void listAlertSubscriptions(ListAlertSubscriptionsRequest request,
            StreamObserver<ListAlertSubscriptionsResponse> observer) {
        ERRORS.unary(observer, () -> {
            ListAlertSubscriptionsResponse.Builder response = ListAlertSubscriptionsResponse.newBuilder();
            subscriptions.list().forEach(s -> response.addSubscriptions(toProto(s)));
            return response.build();
        });
    }

    @Override
    public void removeAlertSubscription(RemoveAlertSubscriptionRequest request,
            StreamObserver<RemoveAlertSubscriptionResponse> observer) {
        ERRORS.unary(observer, () -> {
            subscriptions.remove(request.getId(), Principals.current());
            return RemoveAlertSubscriptionResponse.getDefaultInstance();
        });
    }

    @Override
    public void testAlertSubscription(TestAlertSubscriptionRequest request,
            StreamObserver<TestAlertSubscriptionResponse> observer) {
        ERRORS.unary(observer, () -> {
            AlertDispatcher.TestPost test = subscriptions.test(request.getId(), Principals.current());
            Webhook.Answer answer = test.answer();
            return TestAlertSubscriptionResponse.newBuilder().setHttpStatus(answer.status()).setAlertId(test.alertId())
                    .setError(answer.error() == null ? "" : answer.error()).build();
        });
    }

    private AlertSubscription.Builder toProto(Subscription subscription) {
        AlertDispatcher.Stats stats = dispatcher.stats(subscription.id());
        AlertDeliveryStats.Builder delivery = AlertDeliveryStats.newBuilder().setDelivered(stats.delivered())
                .setPending(stats.pending()).setParked(stats.parked()).setSummaries(stats.summaries())
                .setLastError(stats.lastError());
        if (stats.failingSince() >= 0) {
            delivery.setFailingSince(ScoreProtos.timestamp(stats.failingSince()));
        }
        return AlertSubscription.newBuilder().setId(subscription.id()).setUrl(subscription.url())
                .setFormat(StoreSubscriptionLog.toProto(subscription.format()))
                .setFilter(StoreSubscriptionLog.toProto(subscription.filter()))
                .setCreatedAt(ScoreProtos.timestamp(subscription.createdAt())).setCreatedBy(subscription.createdBy())
                .setDelivery(delivery);
    }
}
