package pql.common.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

class FieldViolationsTest {

    @Test
    void pathsArePrefixedWithDotsAndIndexes() {
        FieldViolations violations = new FieldViolations();
        violations.at("events[3]").add("account_id", "is required");
        violations.at("events").at("[4]").at("product_action").add("quantity", "must be >= 0");
        violations.add("page_size", "must be <= 1000");

        assertThat(violations.list()).extracting(BadRequest.FieldViolation::getField)
                .containsExactly("events[3].account_id", "events[4].product_action.quantity", "page_size");
    }

    @Test
    void theExceptionIsInvalidArgumentCarryingEveryViolation() {
        FieldViolations violations = new FieldViolations().add("a", "bad").add("b", "worse");
        StatusRuntimeException error = violations.toException("invalid request");

        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(error.getStatus().getDescription()).contains("a: bad").contains("b: worse");
        assertThat(GrpcErrors.fieldViolations(error)).extracting(BadRequest.FieldViolation::getField)
                .containsExactly("a", "b");
    }

    @Test
    void throwIfAnyOnlyThrowsWhenSomethingWasCollected() {
        new FieldViolations().throwIfAny("fine");
        assertThatThrownBy(() -> new FieldViolations().add("x", "y").throwIfAny("bad"))
                .isInstanceOf(StatusRuntimeException.class);
    }

    @Test
    void errorsWithoutDetailsHaveNoViolations() {
        assertThat(GrpcErrors.fieldViolations(GrpcErrors.notFound("account a"))).isEmpty();
        assertThat(GrpcErrors.fieldViolations(new IllegalStateException())).isEmpty();
    }
}
