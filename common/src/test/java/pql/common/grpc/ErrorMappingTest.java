package pql.common.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The gRPC adapter toolkit: failures to statuses with ErrorInfo and BadRequest, the unary skeleton. */
class ErrorMappingTest {

    /** A use case's refusal, as a service's app/ package would declare it: no gRPC in sight. */
    static final class NoSuchAccount extends RuntimeException {
        NoSuchAccount(String message) {
            super(message);
        }
    }

    static final class Overloaded extends RuntimeException {
        Overloaded(String message) {
            super(message);
        }
    }

    private final ErrorMapping errors = ErrorMapping.builder("test")
            .map(NoSuchAccount.class, e -> GrpcErrors.notFound(e.getMessage()))
            .map(Overloaded.class, e -> GrpcErrors.error(Status.Code.RESOURCE_EXHAUSTED, "TEST_OVERLOADED", e.getMessage()))
            .build();

    @Test
    void aServicesOwnExceptionBecomesItsStatusWithErrorInfoInThePqlDomain() {
        StatusRuntimeException status = errors.toStatus(new NoSuchAccount("account acme has no events"));

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(status.getStatus().getDescription()).isEqualTo("account acme has no events");
        assertThat(GrpcErrors.errorInfoOf(status)).contains(ErrorInfo.newBuilder()
                .setDomain("pql.v1").setReason("NOT_FOUND").build());
        assertThat(GrpcErrors.fieldViolations(status)).isEmpty();
    }

    @Test
    void aRuleMayNameItsOwnStableReason() {
        StatusRuntimeException status = errors.toStatus(new Overloaded("too many at once"));

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(GrpcErrors.errorInfoOf(status).orElseThrow().getReason()).isEqualTo("TEST_OVERLOADED");
    }

    @Test
    void fieldViolationsAreInvalidArgumentWithBadRequestAndReasonBadRequest() {
        StatusRuntimeException status = errors.toStatus(new FieldViolations().add("page_size", "must be <= 1000")
                .toException("invalid request"));

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getStatus().getDescription()).isEqualTo("invalid request: page_size: must be <= 1000");
        assertThat(GrpcErrors.fieldViolations(status)).containsExactly(BadRequest.FieldViolation.newBuilder()
                .setField("page_size").setDescription("must be <= 1000").build());
        assertThat(GrpcErrors.errorInfoOf(status).orElseThrow().getReason()).isEqualTo(GrpcErrors.BAD_REQUEST);
        assertThat(GrpcErrors.errorInfoOf(status).orElseThrow().getDomain()).isEqualTo(GrpcErrors.DOMAIN);
    }

    @Test
    void aGrpcStatusPassesUnchangedAlsoWhenAFutureWrappedIt() {
        StatusRuntimeException original = GrpcErrors.unavailable("the store is down");

        assertThat(errors.toStatus(original)).isSameAs(original);
        assertThat(errors.toStatus(new CompletionException(original))).isSameAs(original);
        assertThat(errors.toStatus(new CompletionException(new NoSuchAccount("gone"))).getStatus().getCode())
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(errors.toStatus(Status.ABORTED.withDescription("raced").asException()).getStatus())
                .satisfies(status -> {
                    assertThat(status.getCode()).isEqualTo(Status.Code.ABORTED);
                    assertThat(status.getDescription()).isEqualTo("raced");
                });
    }

    @Test
    void anythingElseIsInternalWithoutEchoingTheCause() {
        StatusRuntimeException status = errors.toStatus(new IllegalStateException("secret table t_users is locked"));

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(status.getStatus().getDescription()).isEqualTo("internal error");
        assertThat(GrpcErrors.errorInfoOf(status).orElseThrow().getReason()).isEqualTo(GrpcErrors.INTERNAL);
    }

    @Test
    void unaryAnswersTheResponseOrTheFailureAsAStatus() {
        Recorder<String> answered = new Recorder<>();
        errors.unary(answered, () -> "score 87");
        assertThat(answered.values).containsExactly("score 87");
        assertThat(answered.completed).isTrue();
        assertThat(answered.error).isNull();

        Recorder<String> refused = new Recorder<>();
        errors.unary(refused, () -> {
            throw new NoSuchAccount("account acme has no events");
        });
        assertThat(refused.values).isEmpty();
        assertThat(refused.completed).isFalse();
        assertThat(Status.fromThrowable(refused.error).getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void theFirstMatchingRuleWinsAndSubtypesMatch() {
        ErrorMapping mapping = ErrorMapping.builder("test")
                .map(IllegalArgumentException.class, e -> GrpcErrors.invalidArgument("x", e.getMessage()))
                .map(RuntimeException.class, e -> GrpcErrors.failedPrecondition(e.getMessage()))
                .build();

        assertThat(mapping.toStatus(new NumberFormatException("not a number")).getStatus().getCode())
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(mapping.toStatus(new IllegalStateException("later")).getStatus().getCode())
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(mapping.toStatus(new StatusException(Status.CANCELLED)).getStatus().getCode())
                .isEqualTo(Status.Code.CANCELLED);
    }

    private static final class Recorder<T> implements StreamObserver<T> {
        final List<T> values = new ArrayList<>();
        Throwable error;
        boolean completed;

        @Override
        public void onNext(T value) {
            values.add(value);
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onCompleted() {
            completed = true;
        }
    }
}
