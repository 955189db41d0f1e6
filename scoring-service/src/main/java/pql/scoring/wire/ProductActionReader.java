package pql.scoring.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.charset.StandardCharsets;
import pql.eventstore.LogRecord;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.event.AccountEvent;
import pql.v1.EventEnvelope;
import pql.v1.ProductAction;

/**
 * Reads {@code pql.v1.ProductAction} envelopes, the bulk of the log, without a String or an object per
 * event: the payload is copied into a reused buffer and walked field by field (wire format), the user
 * id is handed on as bytes and the action name turned into the definition's action id through a cache
 * keyed by its bytes. Only user_id, action and quantity are read; properties are checked, not decoded.
 *
 * <p>{@link #read(LogRecord)} goes one step further for envelopes still serialized as the store keeps
 * them: the envelope's own fields (type, schema revision, account id, occurred_at) are read in place and
 * the payload walked where it lies, so no envelope, String, timestamp or payload copy is built per event.
 *
 * <p>Same answers as {@link EnvelopeDecoder}: whenever a payload holds anything this reader does not
 * settle by itself (non-ASCII text, whose UTF-8 protobuf validates; nested or malformed fields), it
 * says no and the caller decodes the envelope the general way. One reader per segment: not
 * thread-safe.
 */
public final class ProductActionReader {

    private static final String PRODUCT_ACTION = ProductAction.getDescriptor().getFullName();
    private static final byte[] PRODUCT_ACTION_BYTES = PRODUCT_ACTION.getBytes(StandardCharsets.US_ASCII);
    private static final int WIRE_VARINT = 0;
    private static final int WIRE_FIXED64 = 1;
    private static final int WIRE_LENGTH_DELIMITED = 2;
    private static final int WIRE_FIXED32 = 5;

    private final ActionIdCache actionIds;
    private byte[] buffer = new byte[256];
    /** What is being walked: {@link #buffer}, or a record's own bytes. */
    private byte[] data = buffer;
    private int position;
    private int limit;
    private int userOffset;
    private int userLength;
    private int actionOffset;
    private int actionLength;
    private double quantity;
    private int actionId;
    // the envelope's fields, read by read(LogRecord)
    private int accountOffset;
    private int accountLength;
    private long occurredSeconds;
    private int occurredNanos;
    private boolean envelopeRead;
    private int typeOffset;
    private int typeLength;
    private int schemaRevision;
    private int payloadOffset;
    private int payloadLength;

    public ProductActionReader(CompiledDefinition definition) {
        this.actionIds = new ActionIdCache(definition);
    }

    /**
     * Reads {@code envelope} when it is a product action of a known revision that this reader settles;
     * false means "decode it with {@link EnvelopeDecoder}" (another type, or a payload to leave to protobuf).
     */
    public boolean read(EventEnvelope envelope) {
        if (envelope.getSchemaRevision() > EnvelopeDecoder.SCHEMA_REVISION || !PRODUCT_ACTION.equals(envelope.getType())) {
            return false;
        }
        ByteString payload = envelope.getPayload();
        int size = payload.size();
        if (buffer.length < size) {
            buffer = new byte[Math.max(size, buffer.length * 2)];
        }
        payload.copyTo(buffer, 0);
        data = buffer;
        if (!parse(0, size)) {
            return false;
        }
        actionId = actionIds.idOf(data, actionOffset, actionLength);
        return true;
    }

    /**
     * {@link #read(EventEnvelope)} for an envelope still serialized: reads the envelope's fields in place and
     * the payload where it lies. True: a product action this reader settled. False: not one, and then
     * either {@link #envelopeRead()} (its type, revision, payload, account id and occurred_at are at hand, to
     * decode with {@link EnvelopeDecoder#decode(String, int, ByteString)}) or not (parse the envelope whole,
     * {@link LogRecord#envelope}: an encoding this reader leaves to protobuf, such as a field of an
     * unexpected wire type or a timestamp given twice or with unknown fields).
     */
    public boolean read(LogRecord record) {
        envelopeRead = false;
        if (!record.hasEnvelopeBytes()) {
            return false;
        }
        data = record.bytes();
        int start = record.envelopeOffset();
        int end = start + record.envelopeLength();
        envelopeRead = parseEnvelope(start, end);
        if (!envelopeRead || schemaRevision > EnvelopeDecoder.SCHEMA_REVISION
                || !equalsAt(typeOffset, typeOffset + typeLength, PRODUCT_ACTION_BYTES)
                || !parse(payloadOffset, payloadOffset + payloadLength)) {
            return false;
        }
        actionId = actionIds.idOf(data, actionOffset, actionLength);
        return true;
    }

    /** Whether the last {@link #read(LogRecord)} read the envelope's own fields (see there). */
    public boolean envelopeRead() {
        return envelopeRead;
    }

    /** The type of the envelope {@link #read(LogRecord)} read. */
    public String type() {
        return new String(data, typeOffset, typeLength, StandardCharsets.UTF_8);
    }

    /** The schema revision of the envelope {@link #read(LogRecord)} read. */
    public int schemaRevision() {
        return schemaRevision;
    }

    /** The payload of the envelope {@link #read(LogRecord)} read, over the record's bytes (no copy; records are immutable). */
    public ByteString payload() {
        return UnsafeByteOperations.unsafeWrap(data, payloadOffset, payloadLength);
    }

    /** The account id of the envelope {@link #read(LogRecord)} read; empty when it has none. */
    public String accountId() {
        return accountLength == 0 ? "" : new String(data, accountOffset, accountLength, StandardCharsets.UTF_8);
    }

    /** The occurred_at of the envelope {@link #read(LogRecord)} read, in epoch ms as {@link EnvelopeDecoder#millis}. */
    public long occurredAtMillis() {
        return occurredSeconds * 1000 + occurredNanos / 1_000_000;
    }

    /** The user id's UTF-8 bytes: {@link #userOffset()}, {@link #userLength()} long (0 when none). */
    public byte[] userBytes() {
        return data;
    }

    public int userOffset() {
        return userOffset;
    }

    public int userLength() {
        return userLength;
    }

    public int actionId() {
        return actionId;
    }

    /** The quantity, 1 when the event has none; bounded as {@link AccountEvent#boundedQuantity} says. */
    public double quantity() {
        return AccountEvent.boundedQuantity(quantity);
    }

    /** The envelope's own fields (pql.v1.EventEnvelope's numbers); false when it is left to protobuf. */
    private boolean parseEnvelope(int start, int end) {
        position = start;
        limit = end;
        accountOffset = 0;
        accountLength = 0;
        occurredSeconds = 0;
        occurredNanos = 0;
        typeOffset = 0;
        typeLength = 0;
        payloadOffset = start;
        payloadLength = 0;
        boolean occurredSeen = false;
        long revision = 0;
        while (position < limit) {
            long tag = readVarint();
            if (tag < 0 || tag > Integer.MAX_VALUE) {
                return false;
            }
            int field = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            if (field == 8) {
                if (wireType != WIRE_VARINT || (revision = readVarint()) < 0) {
                    return false;
                }
                continue;
            }
            if (wireType != WIRE_LENGTH_DELIMITED || field < 1 || field > 7) {
                return false;
            }
            long length = readVarint();
            if (length < 0 || length > limit - position) {
                return false;
            }
            int from = position;
            int to = from + (int) length;
            switch (field) {
                case 2 -> {
                    typeOffset = from;
                    typeLength = to - from;
                }
                case 3 -> {
                    accountOffset = from;
                    accountLength = to - from;
                }
                case 4 -> {
                    if (occurredSeen || !parseTimestamp(from, to)) {
                        return false;
                    }
                    occurredSeen = true;
                }
                case 7 -> {
                    payloadOffset = from;
                    payloadLength = to - from;
                }
                default -> {
                    // event id, recorded_at, trace context: not scoring's
                }
            }
            position = to;
            limit = end;
        }
        schemaRevision = (int) revision; // an int32, as protobuf reads it
        return position == end;
    }

    /** google.protobuf.Timestamp: seconds (1) and nanos (2) as varints, nothing else. */
    private boolean parseTimestamp(int from, int to) {
        position = from;
        limit = to;
        while (position < limit) {
            long tag = readVarint();
            if (tag != (1 << 3 | WIRE_VARINT) && tag != (2 << 3 | WIRE_VARINT)) {
                return false;
            }
            long value = readVarintAnySign();
            if (!varintOk) {
                return false;
            }
            if (tag == (1 << 3 | WIRE_VARINT)) {
                occurredSeconds = value;
            } else {
                occurredNanos = (int) value; // int32, as protobuf reads it
            }
        }
        return true;
    }

    private boolean equalsAt(int from, int to, byte[] expected) {
        if (to - from != expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (data[from + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    /** The ProductAction payload at [from, to) of {@link #data}. */
    private boolean parse(int from, int to) {
        position = from;
        limit = to;
        userOffset = 0;
        userLength = 0;
        actionOffset = 0;
        actionLength = 0;
        quantity = 1.0;
        while (position < limit) {
            long tag = readVarint();
            if (tag < 0 || tag > Integer.MAX_VALUE) {
                return false;
            }
            int field = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            if (field == 0) {
                return false;
            }
            switch (wireType) {
                case WIRE_VARINT -> {
                    if (readVarint() < 0) {
                        return false;
                    }
                }
                case WIRE_FIXED64 -> {
                    if (limit - position < 8) {
                        return false;
                    }
                    if (field == 3) {
                        quantity = Double.longBitsToDouble(littleEndianLong(position));
                    }
                    position += 8;
                }
                case WIRE_FIXED32 -> {
                    if (limit - position < 4) {
                        return false;
                    }
                    position += 4;
                }
                case WIRE_LENGTH_DELIMITED -> {
                    long length = readVarint();
                    if (length < 0 || length > limit - position) {
                        return false;
                    }
                    int start = position;
                    int end = start + (int) length;
                    if (field == 1 || field == 2) {
                        if (!ascii(start, end)) {
                            return false;
                        }
                        if (field == 1) {
                            userOffset = start;
                            userLength = end - start;
                        } else {
                            actionOffset = start;
                            actionLength = end - start;
                        }
                    } else if (field == 4 && !plainMapEntry(start, end)) {
                        return false;
                    }
                    position = end;
                }
                default -> {
                    // groups and invalid wire types: protobuf's parser decides
                    return false;
                }
            }
        }
        return position == limit;
    }

    /** A properties entry of ASCII key and value and nothing else: protobuf would accept it as it is. */
    private boolean plainMapEntry(int start, int end) {
        int saved = limit;
        position = start;
        limit = end;
        try {
            while (position < limit) {
                long tag = readVarint();
                if (tag != (1 << 3 | WIRE_LENGTH_DELIMITED) && tag != (2 << 3 | WIRE_LENGTH_DELIMITED)) {
                    return false;
                }
                long length = readVarint();
                if (length < 0 || length > limit - position || !ascii(position, position + (int) length)) {
                    return false;
                }
                position += (int) length;
            }
            return true;
        } finally {
            limit = saved;
        }
    }

    private boolean ascii(int start, int end) {
        for (int i = start; i < end; i++) {
            if (data[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether the last {@link #readVarintAnySign} read a whole varint. */
    private boolean varintOk;

    /** A base-128 varint of at most 10 bytes, negative values included ({@link #varintOk} says if it was whole). */
    private long readVarintAnySign() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= limit) {
                varintOk = false;
                return 0;
            }
            byte b = data[position++];
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                varintOk = true;
                return value;
            }
        }
        varintOk = false;
        return 0;
    }

    /** A base-128 varint of at most 10 bytes; -1 when truncated or too long. */
    private long readVarint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= limit) {
                return -1;
            }
            byte b = data[position++];
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value < 0 ? -1 : value;
            }
        }
        return -1;
    }

    private long littleEndianLong(int at) {
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = value << 8 | (data[at + i] & 0xFF);
        }
        return value;
    }
}
