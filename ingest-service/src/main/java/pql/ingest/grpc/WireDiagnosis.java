package pql.ingest.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.Locale;
import pql.ingest.validation.EventLimits;
import pql.ingest.validation.Violation;
import pql.v1.Event;

/**
 * Why the bytes of one event do not parse, at the path of the field at fault: protobuf's own
 * error ("Protocol message had invalid UTF-8.") names no field. Walks the bytes with the
 * event's descriptor and reports the first field that is not what its type says: a string that is
 * not UTF-8, a field sent with another wire type, a nested message cut short or malformed.
 * Entries of a map are reported at the map's path (e.g. "product_action.properties").
 *
 * <p>Runs only for an event that failed to parse, so its cost does not matter.
 */
final class WireDiagnosis {

    private WireDiagnosis() {
    }

    /** The first problem of an event's bytes that did not parse. */
    static Violation firstProblem(byte[] bytes, int offset, int length) {
        CodedInputStream in = CodedInputStream.newInstance(bytes, offset, length);
        try {
            Violation problem = walk(Event.getDescriptor(), in, "", false);
            return problem != null ? problem : new Violation("", "not a valid pql.v1.Event");
        } catch (IOException e) {
            return new Violation("", "not a valid pql.v1.Event: " + e.getMessage());
        }
    }

    /**
     * The event_id of an event that did not parse, for its answer; empty when it cannot be read
     * (absent, malformed, not UTF-8, or longer than an id may be).
     */
    static String eventIdOf(byte[] bytes, int offset, int length) {
        CodedInputStream in = CodedInputStream.newInstance(bytes, offset, length);
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == Event.EVENT_ID_FIELD_NUMBER
                        && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    ByteString id = in.readBytes();
                    return id.isValidUtf8() && id.size() <= 4 * EventLimits.MAX_ID_LENGTH
                            && id.toStringUtf8().length() <= EventLimits.MAX_ID_LENGTH ? id.toStringUtf8() : "";
                }
                if (!in.skipField(tag)) {
                    return "";
                }
            }
        } catch (IOException | RuntimeException e) {
            return "";
        }
        return "";
    }

    private static Violation walk(Descriptors.Descriptor type, CodedInputStream in, String path, boolean mapEntry)
            throws IOException {
        while (true) {
            int tag;
            try {
                tag = in.readTag();
            } catch (InvalidProtocolBufferException e) {
                return new Violation(path, "malformed: " + e.getMessage());
            }
            if (tag == 0) {
                return null;
            }
            int number = WireFormat.getTagFieldNumber(tag);
            int wireType = WireFormat.getTagWireType(tag);
            Descriptors.FieldDescriptor field = type.findFieldByNumber(number);
            if (field == null) {
                if (!skip(in, tag)) {
                    return new Violation(path, "field number " + number + " is malformed");
                }
                continue;
            }
            String at = mapEntry ? path : path.isEmpty() ? field.getName() : path + "." + field.getName();
            String what = mapEntry ? "its " + field.getName() + " " : "";
            int expected = expectedWireType(field);
            if (wireType != expected && !(field.isPackable() && wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                return new Violation(at, what + "sent with wire type " + wireType + "; a "
                        + field.getType().name().toLowerCase(Locale.ROOT) + " field has wire type " + expected);
            }
            try {
                if (field.getJavaType() == Descriptors.FieldDescriptor.JavaType.STRING) {
                    if (!in.readBytes().isValidUtf8()) {
                        return new Violation(at, what + "not valid UTF-8");
                    }
                } else if (field.getJavaType() == Descriptors.FieldDescriptor.JavaType.MESSAGE) {
                    int limit = in.pushLimit(in.readRawVarint32());
                    Violation inside = walk(field.getMessageType(), in, at, field.isMapField());
                    if (inside != null) {
                        return inside;
                    }
                    in.popLimit(limit);
                } else if (!in.skipField(tag)) {
                    return new Violation(at, what + "malformed");
                }
            } catch (InvalidProtocolBufferException e) {
                return new Violation(at, what + "cut short or malformed: " + e.getMessage());
            }
        }
    }

    private static boolean skip(CodedInputStream in, int tag) {
        try {
            return in.skipField(tag);
        } catch (IOException e) {
            return false;
        }
    }

    private static int expectedWireType(Descriptors.FieldDescriptor field) {
        return field.getLiteType().getWireType();
    }
}
