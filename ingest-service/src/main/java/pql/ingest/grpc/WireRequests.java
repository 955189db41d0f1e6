package pql.ingest.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import pql.common.grpc.GrpcErrors;
import pql.common.grpc.RawBytesMarshaller;
import pql.ingest.app.IncomingEvents;
import pql.ingest.validation.Violation;
import pql.v1.Event;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestEventRequest;
import pql.v1.IngestStreamRequest;

/**
 * Parses the three ingest requests as protobuf would, keeping the bytes of each event's kind
 * message so they are stored as the payload without being encoded a second time (a zero-copy
 * slice of the request). When an event's kind field occurs more than once (protobuf merges or
 * replaces them) the payload is left to be re-encoded from the parsed message.
 *
 * <p>Each event is decoded on its own: an item whose bytes are not an event (invalid UTF-8 in a
 * string, a nested message cut short, two different kinds) becomes an undecodable item with the
 * path of its first problem ({@link WireDiagnosis}), and the rest of the request goes on. Only a
 * request whose own framing is broken (a tag or length that does not parse, an events field that
 * is not length-delimited, bytes missing) is malformed as a whole: then no item can be found.
 */
final class WireRequests {

    /** Field numbers of Event's oneof kind (account_profiled = 10 ... outcome = 16). */
    private static final int FIRST_KIND_FIELD = 10;
    private static final int LAST_KIND_FIELD = 16;

    static final MethodDescriptor.Marshaller<EventsRequest> EVENT = new Parser(IngestEventRequest.getDescriptor().getFullName(),
            IngestEventRequest.EVENT_FIELD_NUMBER, true, 0, 0,
            // a request without its event (valid protobuf: the handler answers INVALID_ARGUMENT) encodes as such
            request -> request.events.isEmpty() ? IngestEventRequest.getDefaultInstance()
                    : IngestEventRequest.newBuilder().setEvent(request.events.get(0)).build());
    static final MethodDescriptor.Marshaller<EventsRequest> BATCH = new Parser(IngestBatchRequest.getDescriptor().getFullName(),
            IngestBatchRequest.EVENTS_FIELD_NUMBER, false, 0, IngestBatchRequest.VALIDATE_ONLY_FIELD_NUMBER,
            request -> IngestBatchRequest.newBuilder().addAllEvents(request.events).setValidateOnly(request.validateOnly).build());
    static final MethodDescriptor.Marshaller<EventsRequest> STREAM = new Parser(IngestStreamRequest.getDescriptor().getFullName(),
            IngestStreamRequest.EVENTS_FIELD_NUMBER, false, IngestStreamRequest.SEQUENCE_FIELD_NUMBER, 0,
            request -> IngestStreamRequest.newBuilder().setSequence(request.sequence).addAllEvents(request.events).build());

    private WireRequests() {
    }

    /** A parsed IngestEventRequest, IngestBatchRequest or IngestStreamRequest chunk. */
    static final class EventsRequest implements IncomingEvents {
        private final List<Event> events;
        private final List<ByteString> payloads;
        /** Per item: why it did not decode, or null; null as a whole when every item decoded. */
        private final List<List<Violation>> undecodable;
        private final long sequence;
        private final int serializedSize;
        private final String malformation;
        private final boolean validateOnly;

        EventsRequest(List<Event> events, List<ByteString> payloads, long sequence, int serializedSize) {
            this(events, payloads, null, sequence, serializedSize, null, false);
        }

        private EventsRequest(List<Event> events, List<ByteString> payloads, List<List<Violation>> undecodable,
                long sequence, int serializedSize, String malformation, boolean validateOnly) {
            this.events = events;
            this.payloads = payloads;
            this.undecodable = undecodable;
            this.sequence = sequence;
            this.serializedSize = serializedSize;
            this.malformation = malformation;
            this.validateOnly = validateOnly;
        }

        /** IngestBatchRequest.validate_only: check, store nothing. */
        boolean validateOnly() {
            return validateOnly;
        }

        /**
         * Bytes that do not parse as the request message. Handed to the handler rather than thrown:
         * gRPC would turn an exception from a marshaller into UNKNOWN, the caller deserves
         * INVALID_ARGUMENT.
         */
        static EventsRequest malformed(String why, int serializedSize) {
            return new EventsRequest(List.of(), List.of(), null, 0, serializedSize, why, false);
        }

        /** INVALID_ARGUMENT when the bytes were not a valid request message; null when they were. */
        StatusRuntimeException malformation() {
            return malformation == null ? null
                    : GrpcErrors.error(Status.Code.INVALID_ARGUMENT, GrpcErrors.MALFORMED_REQUEST, malformation);
        }

        List<Event> events() {
            return events;
        }

        /** The chunk number of a stream request (0 otherwise). */
        long sequence() {
            return sequence;
        }

        /** Size of the request on the wire. */
        int serializedSize() {
            return serializedSize;
        }

        @Override
        public int size() {
            return events.size();
        }

        @Override
        public Event event(int index) {
            return events.get(index);
        }

        @Override
        public ByteString payload(int index) {
            return payloads.get(index);
        }

        @Override
        public List<Violation> undecodable(int index) {
            List<Violation> violations = undecodable == null ? null : undecodable.get(index);
            return violations == null ? List.of() : violations;
        }
    }

    private static final class Parser implements MethodDescriptor.Marshaller<EventsRequest> {
        private final String messageName;
        private final int eventsField;
        private final boolean singularEvent;
        private final int sequenceField;
        private final int validateOnlyField;
        private final Function<EventsRequest, MessageLite> encoder;

        /**
         * @param eventsField the Event field: repeated, or singular for IngestEventRequest
         * @param sequenceField the int64 sequence field, 0 when the message has none
         * @param validateOnlyField the bool validate_only field, 0 when the message has none
         * @param encoder the request as its generated message, for a client of this descriptor
         */
        Parser(String messageName, int eventsField, boolean singularEvent, int sequenceField, int validateOnlyField,
                Function<EventsRequest, MessageLite> encoder) {
            this.messageName = messageName;
            this.eventsField = eventsField;
            this.singularEvent = singularEvent;
            this.sequenceField = sequenceField;
            this.validateOnlyField = validateOnlyField;
            this.encoder = encoder;
        }

        @Override
        public InputStream stream(EventsRequest request) {
            return encoder.apply(request).toByteString().newInput();
        }

        @Override
        public EventsRequest parse(InputStream stream) {
            byte[] bytes;
            try {
                bytes = readAll(stream);
            } catch (IOException e) {
                throw Status.INTERNAL.withDescription("cannot read the request").withCause(e).asRuntimeException();
            }
            try {
                return parse(bytes);
            } catch (InvalidProtocolBufferException e) {
                return EventsRequest.malformed("not a valid " + messageName + ": " + e.getMessage(), bytes.length);
            } catch (IOException e) {
                return EventsRequest.malformed("not a valid " + messageName, bytes.length);
            }
        }

        private EventsRequest parse(byte[] bytes) throws IOException {
            Items items = new Items(bytes);
            List<Event> events = new ArrayList<>();
            List<ByteString> payloads = new ArrayList<>();
            List<List<Violation>> undecodable = null;
            long sequence = 0;
            boolean validateOnly = false;
            UnknownFieldSet.Builder unknownFields = UnknownFieldSet.newBuilder();
            List<int[]> occurrences = singularEvent ? new ArrayList<>() : null;
            for (int tag = items.in.readTag(); tag != 0; tag = items.in.readTag()) {
                int field = WireFormat.getTagFieldNumber(tag);
                int wireType = WireFormat.getTagWireType(tag);
                if (field == eventsField) {
                    if (wireType != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        throw new InvalidProtocolBufferException("field " + field + " (events) is not length-delimited");
                    }
                    int length = items.in.readRawVarint32();
                    int offset = items.position();
                    items.decode(length); // throws when the bytes are not all there: framing, not the item
                    if (singularEvent) {
                        occurrences.add(new int[] {offset, length});
                    }
                    events.add(items.event);
                    payloads.add(items.payload);
                    if (items.violations != null) {
                        undecodable = undecodable != null ? undecodable : new ArrayList<>();
                        while (undecodable.size() < events.size() - 1) {
                            undecodable.add(null);
                        }
                        undecodable.add(items.violations);
                    }
                } else if (field == sequenceField && sequenceField != 0 && wireType == WireFormat.WIRETYPE_VARINT) {
                    sequence = items.in.readInt64();
                } else if (field == validateOnlyField && validateOnlyField != 0 && wireType == WireFormat.WIRETYPE_VARINT) {
                    validateOnly = items.in.readBool();
                } else if (!unknownFields.mergeFieldFrom(tag, items.in)) {
                    // read as protobuf reads an unknown field: skipField is stricter than readInt64 for a
                    // varint whose tenth byte says "more follows", and the two must accept the same bytes
                    break;
                }
            }
            if (undecodable != null) {
                while (undecodable.size() < events.size()) {
                    undecodable.add(null);
                }
            }
            if (singularEvent && events.size() > 1) {
                // a singular message field sent several times: protobuf merges the occurrences
                List<Violation> firstProblem = undecodable == null ? null
                        : undecodable.stream().filter(v -> v != null).findFirst().orElse(null);
                if (firstProblem == null) {
                    firstProblem = kindsAcross(events);
                }
                Event merged = undecodable == null ? mergedAsParsed(bytes, occurrences) : mergedMessages(events);
                events = new ArrayList<>(List.of(merged));
                payloads = new ArrayList<>();
                payloads.add(null);
                undecodable = firstProblem == null ? null : new ArrayList<>(List.of(firstProblem));
            }
            return new EventsRequest(events, payloads, undecodable, sequence, bytes.length, null, validateOnly);
        }

        /**
         * The occurrences merged as protobuf merges them while parsing: field by field as they come,
         * so a scalar sent again with its default value (an enum back to 0) overrides the earlier one,
         * which a merge of the parsed messages would keep. Every occurrence decoded on its own, so the
         * concatenation decodes too.
         */
        private static Event mergedAsParsed(byte[] bytes, List<int[]> occurrences) throws IOException {
            Event.Builder merged = Event.newBuilder();
            for (int[] occurrence : occurrences) {
                merged.mergeFrom(bytes, occurrence[0], occurrence[1]);
            }
            return merged.build();
        }

        /** An occurrence is undecodable: the merge only has to carry a readable event id for the answer. */
        private static Event mergedMessages(List<Event> occurrences) {
            Event.Builder merged = occurrences.get(0).toBuilder();
            occurrences.subList(1, occurrences.size()).forEach(merged::mergeFrom);
            return merged.build();
        }

        /**
         * Two kinds in the occurrences of one event are refused like two kinds in one occurrence:
         * merged, the last would win silently (and protobuf-java's parser would even merge the
         * first one's leftovers into it when that kind comes back).
         */
        private static List<Violation> kindsAcross(List<Event> occurrences) {
            List<String> kinds = occurrences.stream()
                    .filter(event -> event.getKindCase() != Event.KindCase.KIND_NOT_SET)
                    .map(event -> Event.getDescriptor().findFieldByNumber(event.getKindCase().getNumber()).getName())
                    .distinct()
                    .toList();
            return kinds.size() < 2 ? null : List.of(new Violation("kind",
                    "exactly one kind is allowed; this event has " + String.join(" and ", kinds)));
        }

        private static byte[] readAll(InputStream stream) throws IOException {
            byte[] forwarded = RawBytesMarshaller.forwardedArray(stream);
            if (forwarded != null) {
                return forwarded; // the gateway's copy, in this process: no second one
            }
            if (stream instanceof KnownLength) {
                int size = stream.available();
                byte[] bytes = new byte[size];
                int read = stream.readNBytes(bytes, 0, size);
                if (read == size && stream.read() == -1) {
                    return bytes;
                }
                throw new IOException("the request was not as long as announced");
            }
            return stream.readAllBytes();
        }
    }

    /**
     * Decodes the events fields of one request, each on its own, with one {@link CodedInputStream}
     * and one {@link KindScan} for all of them (not one of each per event). After an item that does
     * not decode, the stream is somewhere inside it with its limits pushed: reading goes on with a
     * fresh stream from the item's end.
     */
    private static final class Items {
        private final byte[] bytes;
        private final KindScan scan = new KindScan();
        /** Reads {@code bytes} from {@link #base}. */
        CodedInputStream in;
        private int base;

        /** The last item: its event (what could be read of it when undecodable), payload and problems. */
        Event event;
        ByteString payload;
        /** Null when the item decoded. */
        List<Violation> violations;

        Items(byte[] bytes) {
            this.bytes = bytes;
            this.in = CodedInputStream.newInstance(bytes);
        }

        /** Where the stream is in the request's bytes. */
        int position() {
            return base + in.getTotalBytesRead();
        }

        /** The item of {@code length} bytes at the stream's position; the stream ends up after it. */
        void decode(int length) throws InvalidProtocolBufferException {
            int offset = position();
            int outerLimit = in.pushLimit(length); // throws when the bytes are not all there
            try {
                event = Event.parser().parseFrom(in);
                in.checkLastTagWas(0); // as parsing the item's bytes alone checks (an end-group tag stops the parse)
            } catch (InvalidProtocolBufferException e) {
                restartAt(offset + length);
                undecodable(offset, length, WireDiagnosis.firstProblem(bytes, offset, length));
                return;
            }
            in.popLimit(outerLimit);
            scan.walk(bytes, offset, length);
            if (Integer.bitCount(scan.fields) > 1) {
                undecodable(offset, length, new Violation("kind", "exactly one kind is allowed; this event has " + scan.names()));
                return;
            }
            payload = scan.payload(bytes);
            violations = null;
        }

        private void restartAt(int position) {
            in = CodedInputStream.newInstance(bytes, position, bytes.length - position);
            base = position;
        }

        /** What can be read of it (the event id, for the answer) and why it cannot be stored. */
        private void undecodable(int offset, int length, Violation violation) {
            event = Event.newBuilder().setEventId(WireDiagnosis.eventIdOf(bytes, offset, length)).build();
            payload = null;
            violations = List.of(violation);
        }
    }

    /**
     * The kind fields of one event: which numbers occur (a bit per kind), and where the last one's
     * bytes are. This only walks the top-level tags. The event already parsed, but protobuf's parser
     * is lenient where this walk must not be (a varint whose tenth byte says "more follows", a tag
     * or length in ten bytes), so every step stays within the event's bytes; anything unusual ends
     * the walk and leaves the payload to be re-encoded from the parsed message.
     */
    private static final class KindScan {
        int fields;
        int occurrences;
        int kindOffset;
        int kindLength;
        boolean plain = true;
        private int position;
        private int end;

        /** The bytes of the event's one kind field, or null when there is not exactly one. */
        ByteString payload(byte[] bytes) {
            return occurrences == 1 && plain ? UnsafeByteOperations.unsafeWrap(bytes, kindOffset, kindLength) : null;
        }

        String names() {
            List<String> names = new ArrayList<>();
            for (int field = FIRST_KIND_FIELD; field <= LAST_KIND_FIELD; field++) {
                if ((fields & 1 << (field - FIRST_KIND_FIELD)) != 0) {
                    names.add(Event.getDescriptor().findFieldByNumber(field).getName());
                }
            }
            return String.join(" and ", names);
        }

        /** Walks one event's top-level tags (this scan is reused from event to event). */
        KindScan walk(byte[] bytes, int eventOffset, int eventLength) {
            fields = 0;
            occurrences = 0;
            plain = true;
            position = eventOffset;
            end = eventOffset + eventLength;
            while (position < end) {
                long tag = smallVarint(bytes);
                if (tag < 0) {
                    return givenUp();
                }
                int field = (int) (tag >>> 3);
                switch ((int) (tag & 7)) {
                    case WireFormat.WIRETYPE_VARINT -> {
                        if (!skipVarint(bytes)) {
                            return givenUp();
                        }
                    }
                    case WireFormat.WIRETYPE_FIXED64 -> position += 8;
                    case WireFormat.WIRETYPE_FIXED32 -> position += 4;
                    case WireFormat.WIRETYPE_LENGTH_DELIMITED -> {
                        long length = smallVarint(bytes);
                        if (length < 0 || length > end - position) {
                            return givenUp();
                        }
                        if (field >= FIRST_KIND_FIELD && field <= LAST_KIND_FIELD) {
                            fields |= 1 << (field - FIRST_KIND_FIELD);
                            occurrences++;
                            kindOffset = position;
                            kindLength = (int) length;
                        }
                        position += (int) length;
                    }
                    default -> {
                        // groups: let protobuf's own encoding decide the payload
                        return givenUp();
                    }
                }
            }
            plain = position == end;
            return this;
        }

        private KindScan givenUp() {
            plain = false;
            return this;
        }

        /** A tag or length: at most 5 bytes, within the event, below 2^31; -1 otherwise. */
        private long smallVarint(byte[] bytes) {
            long value = 0;
            for (int shift = 0; shift < 35 && position < end; shift += 7) {
                byte b = bytes[position++];
                value |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return value <= Integer.MAX_VALUE ? value : -1;
                }
            }
            return -1;
        }

        /** Past a varint value: at most 10 bytes, within the event. */
        private boolean skipVarint(byte[] bytes) {
            for (int i = 0; i < 10 && position < end; i++) {
                if (bytes[position++] >= 0) {
                    return true;
                }
            }
            return false;
        }
    }
}
