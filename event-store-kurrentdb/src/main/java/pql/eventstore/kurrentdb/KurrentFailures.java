package pql.eventstore.kurrentdb;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import pql.eventstore.EventStoreUnavailableException;

/** Waiting on the client's futures, and what its failures mean for the store. */
final class KurrentFailures {

    /**
     * Pause before the one retry of a call that found the server unreachable: a client whose
     * connection broke replaces its channel at the next call, within milliseconds, but fails the
     * call that noticed (gRPC's own reconnection waits a second or more).
     */
    private static final long RETRY_PAUSE_MILLIS = 200;

    private KurrentFailures() {
    }

    /**
     * Runs {@code call}, and once more after a short pause when it fails with
     * {@link EventStoreUnavailableException}: every call of the store may be repeated (reads
     * obviously, appends because they are idempotent and re-read their stream after a failure),
     * and one retry rides over a connection the server dropped, e.g. on its restart.
     */
    static <T> T retryingOnce(Supplier<T> call) {
        try {
            return call.get();
        } catch (EventStoreUnavailableException first) {
            try {
                Thread.sleep(RETRY_PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw first;
            }
            try {
                return call.get();
            } catch (EventStoreUnavailableException second) {
                second.addSuppressed(first);
                throw second;
            }
        }
    }

    /**
     * The future's value, waiting at most {@code timeoutMillis}. Failures come back unwrapped from
     * the client's {@link CompletionException} / {@link ExecutionException} layers; a timeout is
     * an {@link EventStoreUnavailableException}. The future is left alone: cancelling one of the
     * client's futures does not stop its call, so the caller stops what it started.
     */
    static <T> T await(CompletableFuture<T> future, long timeoutMillis, String action) {
        try {
            return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventStoreUnavailableException("interrupted while waiting to " + action, e);
        } catch (TimeoutException e) {
            throw new EventStoreUnavailableException("KurrentDB did not answer within " + timeoutMillis + " ms to " + action, e);
        } catch (ExecutionException | CompletionException e) {
            throw rethrowable(unwrap(e), action);
        } catch (CancellationException e) {
            throw new EventStoreUnavailableException("the call to " + action + " was cancelled", e);
        }
    }

    /** The first cause that is not a wrapper of the client's or the JDK's futures. */
    static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        // the client wraps checked failures in a bare RuntimeException
        while ((current instanceof CompletionException || current instanceof ExecutionException
                || current.getClass() == RuntimeException.class) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /**
     * What a failed call is for the store's callers: the client's own answers (wrong expected
     * version, stream not found, invalid position) come back as they are for the caller to handle;
     * anything about reaching the server is an {@link EventStoreUnavailableException}.
     */
    static RuntimeException rethrowable(Throwable cause, String action) {
        if (cause instanceof io.kurrent.dbclient.WrongExpectedVersionException wrong) {
            return wrong;
        }
        if (cause instanceof io.kurrent.dbclient.StreamNotFoundException notFound) {
            return notFound;
        }
        if (isInvalidArgument(cause)) {
            return new InvalidRequestException(action + ": " + ((StatusRuntimeException) cause).getStatus().getDescription(), cause);
        }
        if (cause instanceof EventStoreUnavailableException unavailable) {
            return unavailable;
        }
        return new EventStoreUnavailableException("KurrentDB could not " + action + ": " + describe(cause), cause);
    }

    private static boolean isInvalidArgument(Throwable cause) {
        return cause instanceof StatusRuntimeException status && status.getStatus().getCode() == Status.Code.INVALID_ARGUMENT;
    }

    private static String describe(Throwable cause) {
        if (cause instanceof StatusRuntimeException status) {
            return status.getStatus().getCode() + (status.getStatus().getDescription() == null ? ""
                    : " " + status.getStatus().getDescription());
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    /**
     * The server refused a request as malformed (gRPC INVALID_ARGUMENT). Reads of $all get it for
     * a position that is not the start of a record; anything else is a bug of ours.
     */
    static final class InvalidRequestException extends RuntimeException {
        InvalidRequestException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
