package pql.common.grpc;

import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one service's failures reach its callers: each of its own exception types (the use cases'
 * refusals, which know nothing of gRPC) is registered with the status it stands for; a gRPC
 * status passes unchanged (also when wrapped by a future); anything else is a bug, logged and
 * answered INTERNAL without echoing what went wrong. Also runs the unary call skeleton every
 * service shares, so a refusal is answered the same way whichever RPC raised it.
 */
public final class ErrorMapping {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);

    private final String service;
    private final List<Rule<?>> rules;

    private ErrorMapping(String service, List<Rule<?>> rules) {
        this.service = service;
        this.rules = List.copyOf(rules);
    }

    /** @param service the service's name, for the log line of an unexpected failure */
    public static Builder builder(String service) {
        return new Builder(service);
    }

    /** Answers a unary call with {@code call}'s response, or with its failure as a status. */
    public <T> void unary(StreamObserver<T> observer, Supplier<T> call) {
        T response;
        try {
            response = call.get();
        } catch (RuntimeException e) {
            observer.onError(toStatus(e));
            return;
        }
        observer.onNext(response);
        observer.onCompleted();
    }

    /** The status a caller gets for {@code error}. */
    public StatusRuntimeException toStatus(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof StatusRuntimeException status) {
            return status;
        }
        if (cause instanceof StatusException status) {
            return status.getStatus().asRuntimeException(status.getTrailers());
        }
        for (Rule<?> rule : rules) {
            if (rule.type().isInstance(cause)) {
                return rule.apply(cause);
            }
        }
        LOG.error("{} call failed unexpectedly", service, cause);
        return GrpcErrors.internal();
    }

    /** Collects the service's rules; the first whose type matches wins. */
    public static final class Builder {
        private final String service;
        private final List<Rule<?>> rules = new ArrayList<>();

        private Builder(String service) {
            this.service = service;
        }

        /** Failures of {@code type} (and its subtypes) become what {@code toStatus} builds, e.g. with {@link GrpcErrors}. */
        public <E extends Throwable> Builder map(Class<E> type, Function<? super E, StatusRuntimeException> toStatus) {
            rules.add(new Rule<>(type, toStatus));
            return this;
        }

        public ErrorMapping build() {
            return new ErrorMapping(service, rules);
        }
    }

    private record Rule<E extends Throwable>(Class<E> type, Function<? super E, StatusRuntimeException> toStatus) {
        StatusRuntimeException apply(Throwable error) {
            return toStatus.apply(type.cast(error));
        }
    }
}
