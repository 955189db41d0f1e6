package pql.ingest.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.WireFormat;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import pql.ingest.grpc.WireRequests.EventsRequest;
import pql.ingest.support.TestEvents;
import pql.ingest.validation.AcceptedEventInvariants;
import pql.ingest.validation.EventValidator;
import pql.ingest.validation.Violation;
import pql.v1.Event;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestEventRequest;
import pql.v1.IngestStreamRequest;

/**
 * Coverage-guided fuzzing of the ingest request parser with raw bytes, as a hostile or broken
 * client sends them. The first byte picks the request (0 IngestBatch, 1 IngestStream chunk,
 * 2 IngestEvent, modulo 3); the rest is the message. Whatever the bytes:
 * <ul>
 * <li>parsing never throws: the request is malformed as a whole (INVALID_ARGUMENT, no items) or
 * every item is an event or an undecodable item with violations naming a field;</li>
 * <li>it agrees with protobuf: bytes protobuf accepts give its events, item for item (stricter
 * only where documented: two kinds in one event, an events field that is not length-delimited);
 * bytes protobuf rejects never pass unnoticed;</li>
 * <li>the payload kept for storage is exactly the event's kind message;</li>
 * <li>the validator judges every decoded event, and an event it passes keeps the documented limits.</li>
 * </ul>
 * Regression inputs: src/test/resources/pql/ingest/grpc/WireRequestsFuzzTestInputs/requests/.
 */
class WireRequestsFuzzTest {

    private final EventValidator validator = new EventValidator(TestEvents.CLOCK);

    @FuzzTest(maxDuration = "30s")
    void requests(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        byte[] bytes = Arrays.copyOfRange(input, 1, input.length);
        switch (Math.floorMod(input[0], 3)) {
            case 0 -> check(WireRequests.BATCH, bytes, IngestBatchRequest.parser(), IngestBatchRequest.EVENTS_FIELD_NUMBER);
            case 1 -> check(WireRequests.STREAM, bytes, IngestStreamRequest.parser(), IngestStreamRequest.EVENTS_FIELD_NUMBER);
            default -> check(WireRequests.EVENT, bytes, IngestEventRequest.parser(), IngestEventRequest.EVENT_FIELD_NUMBER);
        }
    }

    private void check(MethodDescriptor.Marshaller<EventsRequest> marshaller, byte[] bytes,
            Parser<? extends Message> reference, int eventsField) throws IOException {
        EventsRequest parsed = marshaller.parse(new ByteArrayInputStream(bytes));
        assertThat(parsed.serializedSize()).isEqualTo(bytes.length);

        Message expected;
        try {
            expected = reference.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            expected = null;
        }

        if (parsed.malformation() != null) {
            assertThat(parsed.malformation().getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(parsed.size()).isZero();
            if (expected != null) {
                assertThat(eventsFieldWithOtherWireType(bytes, eventsField))
                        .as("protobuf parses these bytes; only an events field that is not length-delimited may make "
                                + "the whole request malformed")
                        .isTrue();
            }
            return;
        }

        boolean anyUndecodable = false;
        for (int i = 0; i < parsed.size(); i++) {
            List<Violation> problems = parsed.undecodable(i);
            Event event = parsed.event(i);
            assertThat(event).isNotNull();
            if (!problems.isEmpty()) {
                anyUndecodable = true;
                assertUndecodable(parsed, i, problems);
                continue;
            }
            assertPayloadIsTheKind(event, parsed.payload(i));
            AcceptedEventInvariants.judge(validator, event, TestEvents.NOW);
        }

        if (expected == null) {
            assertThat(anyUndecodable)
                    .as("protobuf rejects these bytes, yet every item decoded and the request is not malformed")
                    .isTrue();
            return;
        }
        List<Event> expectedEvents = events(expected);
        assertThat(parsed.size()).isEqualTo(expectedEvents.size());
        for (int i = 0; i < parsed.size(); i++) {
            if (parsed.undecodable(i).isEmpty()) {
                assertThat(parsed.event(i)).isEqualTo(expectedEvents.get(i));
            } else {
                // the one documented difference: protobuf keeps the last of two kinds, ingest refuses both
                assertThat(parsed.undecodable(i)).extracting(Violation::field).containsExactly("kind");
            }
        }
        if (expected instanceof IngestStreamRequest chunk) {
            assertThat(parsed.sequence()).isEqualTo(chunk.getSequence());
        }
        if (!anyUndecodable) {
            EventsRequest again = marshaller.parse(marshaller.stream(parsed));
            assertThat(again.malformation()).isNull();
            assertThat(again.events()).isEqualTo(parsed.events());
        }
    }

    private static void assertUndecodable(EventsRequest parsed, int index, List<Violation> problems) {
        for (Violation problem : problems) {
            assertThat(problem.field()).as("the path of %s", problem).isNotNull().matches("([a-z_]+(\\.[a-z_]+)*)?");
            assertThat(problem.description()).isNotBlank();
        }
        assertThat(parsed.event(index).getEventId().length()).isLessThanOrEqualTo(128);
        assertThat(parsed.payload(index)).as("an undecodable item has nothing to store").isNull();
    }

    /** A kept payload is the bytes of the event's kind message, so it is stored as if re-encoded. */
    private static void assertPayloadIsTheKind(Event event, ByteString payload) throws InvalidProtocolBufferException {
        if (payload == null) {
            return;
        }
        assertThat(event.getKindCase()).isNotEqualTo(Event.KindCase.KIND_NOT_SET);
        Message kind = (Message) event.getField(Event.getDescriptor().findFieldByNumber(event.getKindCase().getNumber()));
        assertThat(kind.getParserForType().parseFrom(payload)).isEqualTo(kind);
    }

    private static List<Event> events(Message request) {
        if (request instanceof IngestBatchRequest batch) {
            return batch.getEventsList();
        }
        if (request instanceof IngestStreamRequest chunk) {
            return chunk.getEventsList();
        }
        IngestEventRequest single = (IngestEventRequest) request;
        return single.hasEvent() ? List.of(single.getEvent()) : new ArrayList<>();
    }

    /** Bytes protobuf parses: is the events field ever sent as a varint or fixed number (ingest refuses that)? */
    private static boolean eventsFieldWithOtherWireType(byte[] bytes, int eventsField) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        UnknownFieldSet.Builder skipped = UnknownFieldSet.newBuilder(); // reads exactly what protobuf's parser reads
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == eventsField
                    && WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                return true;
            }
            if (!skipped.mergeFieldFrom(tag, in)) {
                return false;
            }
        }
        return false;
    }
}
