package pql.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.BufferedReader;
import java.io.IOException;
import pql.v1.Event;

/** One pql.v1.Event per line in proto3 JSON (either field-name style); blank lines skipped. */
final class JsonLinesEventReader implements EventReader {

    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    private final BufferedReader in;
    private long line;

    JsonLinesEventReader(BufferedReader in) {
        this.in = in;
    }

    @Override
    public EventLine next() throws IOException {
        String text;
        do {
            text = in.readLine();
            line++;
            if (text == null) {
                return null;
            }
        } while (text.isBlank());
        try {
            Event.Builder event = Event.newBuilder();
            PARSER.merge(text, event);
            return EventLine.ok(line, event.build());
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return EventLine.bad(line, "not a pql.v1.Event in JSON: " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
