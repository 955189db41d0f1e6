package pql.allinone.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * One hostile request and what it must get: the transport, the status (a gRPC code, an HTTP
 * status, or for an item of a batch its result) and where the problem is (the field path of the
 * violation) or, for refusals without a field, the error's reason or message.
 */
record HostileCase(String name, Transport transport, Callable<Outcome> call, Expected expected) {

    enum Transport {
        GRPC("gRPC"), HTTP("HTTP");

        final String label;

        Transport(String label) {
            this.label = label;
        }
    }

    String displayName() {
        return transport.label + " " + name + " -> " + expected;
    }

    void run() throws Exception {
        Outcome outcome = call.call();
        String seen = displayName() + ": answered " + outcome;
        assertThat(outcome.status()).as(seen).isEqualTo(expected.status());
        if (expected.field() != null) {
            assertThat(outcome.fields()).as(seen).containsExactly(expected.field());
        } else {
            assertThat(outcome.fields()).as(seen).isEmpty();
        }
        if (expected.reason() != null) {
            assertThat(outcome.reason()).as(seen).isEqualTo(expected.reason());
        }
        if (expected.message() != null) {
            assertThat(outcome.message()).as(seen).contains(expected.message());
        }
    }

    /**
     * What came back. {@code status}: the gRPC code's name ("OK", "INVALID_ARGUMENT") or "HTTP
     * 400"; for a batch item, the code of its error, or "OK" when it was stored. {@code fields}:
     * the BadRequest field violations (gRPC) or the error body's fieldViolations (HTTP).
     * {@code reason}: the ErrorInfo reason (gRPC), the body's "code" (HTTP), or what an answer that
     * is no error showed (an item's EventResult status, a count).
     */
    record Outcome(String status, List<String> fields, String reason, String message) {

        static Outcome ok(String reason) {
            return new Outcome("OK", List.of(), reason, "");
        }

        @Override
        public String toString() {
            return status + (fields.isEmpty() ? "" : " at " + fields) + (reason == null ? "" : " (" + reason + ")")
                    + (message == null || message.isEmpty() ? "" : ": " + abbreviate(message));
        }

        private static String abbreviate(String text) {
            return text.length() <= 300 ? text : text.substring(0, 300) + "...";
        }
    }

    /**
     * What a case must get: a status and either a field path or a reason / message (at least one
     * of them, so that every case can fail on more than its status).
     */
    record Expected(String status, String field, String reason, String message) {

        Expected {
            if (field == null && reason == null && message == null) {
                throw new IllegalArgumentException("a case expects a field path, a reason or a message besides its status");
            }
        }

        /** INVALID_ARGUMENT with one violation at {@code field}. */
        static Expected invalid(String field) {
            return new Expected("INVALID_ARGUMENT", field, null, null);
        }

        static Expected grpc(io.grpc.Status.Code code, String reason) {
            return new Expected(code.name(), null, reason, null);
        }

        static Expected grpcMessage(io.grpc.Status.Code code, String message) {
            return new Expected(code.name(), null, null, message);
        }

        /** Answered; {@code what} is what the answer showed (e.g. the item's STATUS_ACCEPTED). */
        static Expected ok(String what) {
            return new Expected("OK", null, what, null);
        }

        /** HTTP 400 whose body names {@code field}. */
        static Expected http400(String field) {
            return new Expected("HTTP 400", field, "INVALID_ARGUMENT", null);
        }

        static Expected http(int status, String code) {
            return new Expected("HTTP " + status, null, code, null);
        }

        @Override
        public String toString() {
            return status + (field == null ? "" : " at " + field) + (reason == null ? "" : " (" + reason + ")")
                    + (message == null ? "" : " \"" + message + "\"");
        }
    }
}
