package pql.common.grpc;

import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.protobuf.Any;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects what is wrong with a request, field by field, and turns it into INVALID_ARGUMENT with
 * a google.rpc.BadRequest detail (and ErrorInfo reason {@value GrpcErrors#BAD_REQUEST}): callers
 * see every problem at once, each with its path.
 */
public final class FieldViolations {

    private final String prefix;
    private final List<BadRequest.FieldViolation> violations;

    public FieldViolations() {
        this("", new ArrayList<>());
    }

    private FieldViolations(String prefix, List<BadRequest.FieldViolation> violations) {
        this.prefix = prefix;
        this.violations = violations;
    }

    /** A view that prefixes paths, e.g. {@code at("events[3]")} then {@code add("account_id", ...)}. */
    public FieldViolations at(String path) {
        return new FieldViolations(join(prefix, path), violations);
    }

    public FieldViolations add(String field, String description) {
        violations.add(BadRequest.FieldViolation.newBuilder()
                .setField(join(prefix, field))
                .setDescription(description)
                .build());
        return this;
    }

    public boolean isEmpty() {
        return violations.isEmpty();
    }

    public List<BadRequest.FieldViolation> list() {
        return List.copyOf(violations);
    }

    /** The violations as a google.rpc.Status (code INVALID_ARGUMENT), for per-item results. */
    public com.google.rpc.Status toStatus(String message) {
        return com.google.rpc.Status.newBuilder()
                .setCode(Code.INVALID_ARGUMENT_VALUE)
                .setMessage(message + ": " + summary())
                .addDetails(Any.pack(GrpcErrors.errorInfo(GrpcErrors.BAD_REQUEST)))
                .addDetails(Any.pack(BadRequest.newBuilder().addAllFieldViolations(violations).build()))
                .build();
    }

    /** INVALID_ARGUMENT carrying every violation. */
    public StatusRuntimeException toException(String message) {
        return StatusProto.toStatusRuntimeException(toStatus(message));
    }

    /** Throws {@link #toException} when anything was collected. */
    public void throwIfAny(String message) {
        if (!violations.isEmpty()) {
            throw toException(message);
        }
    }

    private String summary() {
        StringBuilder text = new StringBuilder();
        for (BadRequest.FieldViolation violation : violations) {
            if (text.length() > 0) {
                text.append("; ");
            }
            text.append(violation.getField()).append(": ").append(violation.getDescription());
        }
        return text.toString();
    }

    private static String join(String prefix, String path) {
        if (prefix.isEmpty()) {
            return path;
        }
        if (path.isEmpty()) {
            return prefix;
        }
        return path.startsWith("[") ? prefix + path : prefix + "." + path;
    }
}
