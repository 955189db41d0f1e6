package pql.allinone.sample;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import pql.v1.Event;

/**
 * Events as JSON lines: one pql.v1.Event per line in canonical proto3 JSON, the format
 * {@code pql ingest FILE.jsonl} reads.
 */
public final class SampleJsonLines {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    private SampleJsonLines() {
    }

    /**
     * Writes the sample dataset ({@link SampleDataGenerator}) to {@code file}; returns the number of
     * events. What {@code pql sample} runs. The planted truth goes next to it ({@link SampleTruth#besides}).
     */
    public static int writeFile(Path file, int accounts, long seed, Instant anchor) throws IOException {
        List<Event> events = SampleDataGenerator.generate(accounts, seed, anchor);
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            write(events, writer);
        }
        SampleTruth.write(SampleTruth.besides(file), accounts, seed, anchor);
        return events.size();
    }

    public static void write(Iterable<Event> events, Writer out) throws IOException {
        for (Event event : events) {
            PRINTER.appendTo(event, out);
            out.write('\n');
        }
        out.flush();
    }

    public static String line(Event event) {
        try {
            return PRINTER.print(event);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("an Event always prints", e);
        }
    }

    /** Parses one line; throws with the parser's reason for a bad one. */
    public static Event parse(String line) throws InvalidProtocolBufferException {
        Event.Builder event = Event.newBuilder();
        PARSER.merge(line, event);
        return event.build();
    }

    public static void read(BufferedReader in, Consumer<Event> sink) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (!line.isBlank()) {
                sink.accept(parse(line));
            }
        }
    }
}
