package pql.gateway.http;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/**
 * Writes API messages as the canonical proto3 JSON (lowerCamelCase names, enums by name, 64-bit
 * integers as strings), the same JSON a gRPC-JSON transcoder or {@code pql} prints. Fields at
 * their default are written too, so a dashboard never has to guess a missing zero.
 */
@Provider
@Produces(MediaType.APPLICATION_JSON)
public final class ProtobufJsonWriter implements MessageBodyWriter<Message> {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
            .alwaysPrintFieldsWithNoPresence()
            .omittingInsignificantWhitespace();

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return Message.class.isAssignableFrom(type);
    }

    @Override
    public void writeTo(Message message, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, Object> httpHeaders, OutputStream entityStream) throws IOException, WebApplicationException {
        Writer writer = new OutputStreamWriter(entityStream, StandardCharsets.UTF_8);
        PRINTER.appendTo(message, writer);
        writer.flush();
    }
}
