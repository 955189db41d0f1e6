package pql.ingest.validation;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;
import pql.ingest.support.TestEvents;
import pql.v1.Event;

/**
 * Coverage-guided fuzzing of the event validator with structured events (Jazzer's protobuf mutator
 * reaches NaN, infinities, Long.MAX_VALUE, unknown enum numbers and long maps quickly): any event
 * gets violations with a path or passes, never an exception, and a passing event keeps every
 * documented limit ({@link AcceptedEventInvariants}). Bytes that are not well-typed (wrong wire
 * types) are fuzzed through the wire parser, pql.ingest.grpc.WireRequestsFuzzTest.
 *
 * <p>Regression mode (every build) replays the seeds below and the findings under
 * src/test/resources/pql/ingest/validation/EventValidatorFuzzTestInputs/; fuzzing mode: see the
 * module's README.
 */
class EventValidatorFuzzTest {

    private final EventValidator validator = new EventValidator(TestEvents.CLOCK);

    static Stream<Event> validEvents() {
        return Stream.of(
                TestEvents.accountProfiled("e1", "acme"),
                TestEvents.userIdentified("e2", "acme"),
                TestEvents.productAction("e3", "acme"),
                TestEvents.communication("e4", "acme"),
                TestEvents.salesAssistance("e5", "acme"),
                TestEvents.planLimit("e6", "acme"),
                TestEvents.outcome("e7", "acme"));
    }

    @MethodSource("validEvents")
    @FuzzTest(maxDuration = "30s")
    void anyEventGetsPathsOrKeepsTheLimits(@NotNull Event event) {
        AcceptedEventInvariants.judge(validator, event, TestEvents.NOW);
    }
}
