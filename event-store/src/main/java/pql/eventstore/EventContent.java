package pql.eventstore;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import pql.v1.EventEnvelope;

/**
 * When an event sent again under an id its stream already holds is the same event (a retry: a
 * DUPLICATE) or other content reusing the id (ID_REUSED). Every engine decides with this, so they
 * all agree.
 *
 * <p>The same event: equal type, account id, occurred_at and payload. What the store adds on the
 * way in is left out: recorded_at, the trace context of the call and the schema revision. Payloads
 * are compared as messages of their type (a payload type of pql/v1/events.proto, parsed with its
 * descriptor): map entries in any order, fields in any order or repeated as protobuf merges them,
 * unknown fields by number and value; a payload of a type this build does not know, or one that
 * does not parse, is the same only byte for byte.
 *
 * <p>Only called for ids the stream already holds, never for a new event: a retry pays for the
 * comparison, the bulk of the traffic does not.
 */
public final class EventContent {

    private static final Descriptors.FileDescriptor EVENTS = EventEnvelope.getDescriptor().getFile();
    private static final String PACKAGE_PREFIX = EVENTS.getPackage() + ".";

    private EventContent() {
    }

    /** True when {@code incoming} records the same event as {@code stored} (see the class comment). */
    public static boolean same(EventEnvelope stored, EventEnvelope incoming) {
        if (!stored.getType().equals(incoming.getType())
                || !stored.getAccountId().equals(incoming.getAccountId())
                || !stored.getOccurredAt().equals(incoming.getOccurredAt())) {
            return false;
        }
        return samePayload(stored.getType(), stored.getPayload(), incoming.getPayload());
    }

    private static boolean samePayload(String type, ByteString stored, ByteString incoming) {
        if (stored.equals(incoming)) {
            return true;
        }
        Descriptors.Descriptor descriptor = payloadType(type);
        if (descriptor == null) {
            return false;
        }
        try {
            return DynamicMessage.parseFrom(descriptor, stored).equals(DynamicMessage.parseFrom(descriptor, incoming));
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
    }

    private static Descriptors.Descriptor payloadType(String type) {
        if (!type.startsWith(PACKAGE_PREFIX)) {
            return null;
        }
        return EVENTS.findMessageTypeByName(type.substring(PACKAGE_PREFIX.length()));
    }
}
