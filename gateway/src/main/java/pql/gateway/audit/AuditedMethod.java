package pql.gateway.audit;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.function.UnaryOperator;

/**
 * One public method whose calls are audited: how to read its request (the parameters written to
 * the line), and how many rows one of its responses carries. Messages arrive either as the
 * generated types (the HTTP resources' stubs) or as raw bytes (the gRPC proxy); both read alike.
 *
 * @param kind          {@code export} or {@code definition_change}
 * @param request       the request type's default instance
 * @param response      the response type's default instance
 * @param rowsField     the repeated field holding the rows of a response chunk; 0 when every
 *                      response message is one row; -1 when the method returns no rows
 * @param loggedRequest what of the request goes into the line (a definition's name, not its body)
 */
record AuditedMethod(String kind, Message request, Message response, int rowsField, UnaryOperator<Message> loggedRequest) {

    static final int EACH_MESSAGE_IS_A_ROW = 0;
    static final int NO_ROWS = -1;

    /** The request as logged; null when it cannot be read (the backend will refuse it anyway). */
    Message parameters(Object message) {
        Message parsed = parse(request, message);
        return parsed == null ? null : loggedRequest.apply(parsed);
    }

    /** The rows one response message carries. */
    long rows(Object message) {
        if (rowsField == EACH_MESSAGE_IS_A_ROW) {
            return 1;
        }
        if (rowsField == NO_ROWS) {
            return 0;
        }
        if (message instanceof Message typed) {
            FieldDescriptor field = typed.getDescriptorForType().findFieldByNumber(rowsField);
            return typed.getRepeatedFieldCount(field);
        }
        return countField((byte[]) message, rowsField);
    }

    /** The response's {@code version} field (what a definition change produced), 0 when none. */
    int version(Object message) {
        FieldDescriptor field = response.getDescriptorForType().findFieldByName("version");
        Message parsed = field == null ? null : parse(response, message);
        return parsed == null ? 0 : (Integer) parsed.getField(field);
    }

    private static Message parse(Message prototype, Object message) {
        if (message instanceof Message typed) {
            return typed;
        }
        try {
            return prototype.getParserForType().parseFrom((byte[]) message);
        } catch (InvalidProtocolBufferException unreadable) {
            return null;
        }
    }

    /** Occurrences of one field in an encoded message, skipping over the rest without building it. */
    private static long countField(byte[] encoded, int fieldNumber) {
        CodedInputStream in = CodedInputStream.newInstance(encoded);
        long count = 0;
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == fieldNumber) {
                    count++;
                }
                in.skipField(tag);
            }
        } catch (IOException truncated) {
            // a broken chunk: the caller's client fails on it too; count what was readable
        }
        return count;
    }
}
