package pql.cli;

import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import pql.common.grpc.GrpcErrors;

/**
 * Prints what went wrong, readably: the gRPC status code and description, then each field
 * violation on its own line; exit code 1. Other failures print their message (no stack trace
 * unless PQL_DEBUG is set).
 */
final class ErrorPrinter implements CommandLine.IExecutionExceptionHandler {

    static final int FAILED = 1;

    @Override
    public int handleExecutionException(Exception exception, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        print(exception, err);
        if (System.getenv("PQL_DEBUG") != null) {
            exception.printStackTrace(err);
        }
        err.flush();
        return FAILED;
    }

    static void print(Throwable exception, PrintWriter err) {
        StatusRuntimeException status = statusOf(exception);
        if (status != null) {
            err.println(describe(status));
            return;
        }
        if (exception instanceof java.nio.file.NoSuchFileException missing) {
            err.println("error: no such file: " + missing.getFile());
            return;
        }
        if (exception instanceof java.nio.file.AccessDeniedException denied) {
            err.println("error: cannot read " + denied.getFile() + ": permission denied");
            return;
        }
        err.println("error: " + (exception.getMessage() == null ? exception.getClass().getSimpleName() : exception.getMessage()));
    }

    static String describe(StatusRuntimeException exception) {
        Status status = exception.getStatus();
        StringBuilder text = new StringBuilder("error: ").append(status.getCode());
        if (status.getDescription() != null) {
            text.append(": ").append(status.getDescription());
        }
        List<BadRequest.FieldViolation> violations = GrpcErrors.fieldViolations(exception);
        for (BadRequest.FieldViolation violation : violations) {
            text.append(System.lineSeparator()).append("  ").append(violation.getField()).append(": ").append(violation.getDescription());
        }
        String hint = hint(status.getCode());
        if (hint != null) {
            text.append(System.lineSeparator()).append(hint);
        }
        return text.toString();
    }

    private static String hint(Status.Code code) {
        return switch (code) {
            case UNAUTHENTICATED -> "hint: pass --key or set PQL_API_KEY (the all-in-one prints its local key at start)";
            case UNAVAILABLE -> "hint: is the gateway running? start it with: pql start";
            default -> null;
        };
    }

    private static StatusRuntimeException statusOf(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof StatusRuntimeException status) {
                return status;
            }
        }
        return null;
    }
}
