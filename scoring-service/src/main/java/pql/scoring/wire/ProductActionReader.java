package pql.scoring.wire;

import com.google.protobuf.ByteString;
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
 * <p>Same answers as {@link EnvelopeDecoder}: whenever a payload holds anything this reader does not
 * settle by itself (non-ASCII text, whose UTF-8 protobuf validates; nested or malformed fields), it
 * says no and the caller decodes the envelope the general way. One reader per segment: not
 * thread-safe.
 */
public final class ProductActionReader {

    private static final String PRODUCT_ACTION = ProductAction.getDescriptor().getFullName();
    private static final int WIRE_VARINT = 0;
    private static final int WIRE_FIXED64 = 1;
    private static final int WIRE_LENGTH_DELIMITED = 2;
    private static final int WIRE_FIXED32 = 5;

    private final ActionIdCache actionIds;
    private byte[] buffer = new byte[256];
    private int position;
    private int limit;
    private int userOffset;
    private int userLength;
    private int actionOffset;
    private int actionLength;
    private double quantity;
    private int actionId;

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
        if (!parse(size)) {
            return false;
        }
        actionId = actionIds.idOf(buffer, actionOffset, actionLength);
        return true;
    }

    /** The user id's UTF-8 bytes: {@link #userOffset()}, {@link #userLength()} long (0 when none). */
    public byte[] userBytes() {
        return buffer;
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

    private boolean parse(int size) {
        position = 0;
        limit = size;
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
            if (buffer[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** A base-128 varint of at most 10 bytes; -1 when truncated or too long. */
    private long readVarint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= limit) {
                return -1;
            }
            byte b = buffer[position++];
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
            value = value << 8 | (buffer[at + i] & 0xFF);
        }
        return value;
    }
}
