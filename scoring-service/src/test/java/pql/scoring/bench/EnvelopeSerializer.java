package pql.scoring.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.ChainingConverter;
import org.axonframework.serialization.Converter;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.UnknownSerializedType;
import pql.v1.EventEnvelope;

/**
 * An Axon serializer for the baseline's JDBC event table: envelopes as their protobuf bytes (the
 * cheapest encoding Axon can be given, so the baseline is not slowed by XML or JSON), empty metadata.
 */
final class EnvelopeSerializer implements Serializer {

    private static final SerializedType ENVELOPE = new SimpleSerializedType(EventEnvelope.class.getName(), null);
    private static final SerializedType METADATA = new SimpleSerializedType(MetaData.class.getName(), null);
    private final Converter converter = new ChainingConverter();

    @Override
    @SuppressWarnings("unchecked")
    public <T> SerializedObject<T> serialize(Object object, Class<T> expectedRepresentation) {
        byte[] bytes = object instanceof EventEnvelope envelope ? envelope.toByteArray() : new byte[0];
        SerializedType type = object instanceof EventEnvelope ? ENVELOPE : METADATA;
        return new SimpleSerializedObject<>((T) bytes, expectedRepresentation, type);
    }

    @Override
    public <T> boolean canSerializeTo(Class<T> expectedRepresentation) {
        return byte[].class.equals(expectedRepresentation);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S, T> T deserialize(SerializedObject<S> serialized) {
        if (METADATA.getName().equals(serialized.getType().getName())) {
            return (T) MetaData.emptyInstance();
        }
        try {
            return (T) EventEnvelope.parseFrom((byte[]) serialized.getData());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Class classForType(SerializedType type) {
        if (ENVELOPE.getName().equals(type.getName())) {
            return EventEnvelope.class;
        }
        if (METADATA.getName().equals(type.getName())) {
            return MetaData.class;
        }
        return UnknownSerializedType.class;
    }

    @Override
    public SerializedType typeForClass(Class type) {
        return EventEnvelope.class.equals(type) ? ENVELOPE : METADATA;
    }

    @Override
    public Converter getConverter() {
        return converter;
    }
}
