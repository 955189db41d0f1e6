package pql.gateway.http;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import pql.gateway.auth.Scope;
import pql.gateway.http.openapi.Summary;
import pql.v1.PqlTransition;
import pql.v1.WatchPqlTransitionsRequest;

/**
 * Recent PQL transitions. WatchPqlTransitions never ends (it goes on live), so this takes the
 * burst of recent ones it starts with and hangs up once the burst is over.
 */
@Path("/api/v1/transitions")
@Produces(MediaType.APPLICATION_JSON)
public final class TransitionsResource {

    /** How long to wait for the first transition (the stream may have none at all). */
    private static final long FIRST_WAIT_MILLIS = 3000;
    /** A pause this long after the last transition ends the burst of recent ones. */
    private static final long QUIET_MILLIS = 300;

    private final BackendStubs backends;

    public TransitionsResource(BackendStubs backends) {
        this.backends = backends;
    }

    /** {@code GET /api/v1/transitions/recent?limit=20&account=acme}, newest first. */
    @GET
    @Path("/recent")
    @Summary("The most recent PQL transitions, newest first")
    @RequiresScope({Scope.SCORES_READ, Scope.DASHBOARD_READ})
    public TransitionsBody recent(@jakarta.ws.rs.core.Context ContainerRequestContext request,
            @QueryParam("limit") String limit,
            @QueryParam("account") String account) throws InterruptedException {
        QueryParams params = new QueryParams();
        int wanted = params.integer("limit", limit, 20, 1, 1000);
        params.throwIfInvalid();
        WatchPqlTransitionsRequest watch = WatchPqlTransitionsRequest.newBuilder()
                .setRecent(wanted)
                .setAccountId(account == null ? "" : account.trim())
                .build();

        BlockingQueue<Object> arrivals = new LinkedBlockingQueue<>();
        Context.CancellableContext scope = Context.current().withCancellation();
        try {
            scope.run(() -> backends.scoringAsync(Callers.of(request)).watchPqlTransitions(watch, new StreamObserver<>() {
                @Override
                public void onNext(PqlTransition transition) {
                    arrivals.add(transition);
                }

                @Override
                public void onError(Throwable error) {
                    arrivals.add(error);
                }

                @Override
                public void onCompleted() {
                    arrivals.add(Boolean.TRUE);
                }
            }));
            List<PqlTransition> transitions = new ArrayList<>();
            long wait = FIRST_WAIT_MILLIS;
            while (transitions.size() < wanted) {
                Object arrival = arrivals.poll(wait, TimeUnit.MILLISECONDS);
                if (arrival == null || arrival == Boolean.TRUE) {
                    break;
                }
                if (arrival instanceof StatusRuntimeException error) {
                    if (error.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED && !transitions.isEmpty()) {
                        break;
                    }
                    throw error;
                }
                if (arrival instanceof Throwable other) {
                    throw Status.fromThrowable(other).asRuntimeException();
                }
                transitions.add((PqlTransition) arrival);
                wait = QUIET_MILLIS;
            }
            // Newest first by when it happened (event time), then by log position.
            transitions.sort(Comparator.comparingLong((PqlTransition t) -> t.getAt().getSeconds())
                    .thenComparingInt(t -> t.getAt().getNanos())
                    .thenComparingLong(PqlTransition::getLogPosition).reversed());
            return new TransitionsBody(transitions);
        } finally {
            scope.cancel(null);
        }
    }
}
