package pql.gateway.segment;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code /v1/batch} body: {@code {"batch": [...], "context": {...}, "sentAt": "...", "writeKey": "..."}},
 * read as a stream so each message's size is known from its byte offsets without writing it again.
 */
record SegmentBatch(List<Item> items, JsonNode context, String sentAt, String writeKey) {

    /** One message and how many bytes of the body it took. */
    record Item(JsonNode message, long bytes) {
    }

    /** Parses, but is not a batch (no array, not an object, empty). */
    static final class NotABatch extends Exception {
        NotABatch(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * A webhook body: one message (any type) or a JSON array of them, as Segment's and RudderStack's
     * webhook destinations send (one event, or an array when batching is on).
     */
    static SegmentBatch parseWebhook(ObjectMapper json, byte[] body) throws IOException, NotABatch {
        try (JsonParser parser = json.getFactory().createParser(body)) {
            JsonToken first = parser.nextToken();
            List<Item> items = new ArrayList<>();
            if (first == JsonToken.START_OBJECT) {
                items.add(new Item(json.readTree(parser), body.length));
            } else if (first == JsonToken.START_ARRAY) {
                readItems(json, parser, items);
            } else {
                throw new NotABatch("the body must be one message (a JSON object) or a JSON array of messages");
            }
            if (parser.nextToken() != null) {
                throw new NotABatch("the body holds more than one JSON value");
            }
            if (items.isEmpty()) {
                throw new NotABatch("an empty array: send at least one message");
            }
            return new SegmentBatch(items, null, null, null);
        }
    }

    private static void readItems(ObjectMapper json, JsonParser parser, List<Item> items) throws IOException {
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            long start = parser.currentTokenLocation().getByteOffset();
            JsonNode message = json.readTree(parser);
            items.add(new Item(message, parser.currentLocation().getByteOffset() - start));
        }
    }

    static SegmentBatch parse(ObjectMapper json, byte[] body) throws IOException, NotABatch {
        List<Item> items = null;
        JsonNode context = null;
        String sentAt = null;
        String writeKey = null;
        try (JsonParser parser = json.getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new NotABatch("the body must be a JSON object with a \"batch\" array of messages");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("batch")) {
                    if (value != JsonToken.START_ARRAY) {
                        throw new NotABatch("batch: must be an array of messages");
                    }
                    items = new ArrayList<>();
                    readItems(json, parser, items);
                } else {
                    JsonNode node = json.readTree(parser);
                    switch (field) {
                        case "context" -> context = node;
                        case "sentAt" -> sentAt = node.isTextual() ? node.asText() : null;
                        case "writeKey" -> writeKey = node.isTextual() && !node.asText().isBlank() ? node.asText().trim() : null;
                        default -> {
                            // integrations, sequence, metadata...: not used
                        }
                    }
                }
            }
            if (parser.nextToken() != null) {
                throw new NotABatch("the body holds more than one JSON value");
            }
        }
        if (items == null || items.isEmpty()) {
            throw new NotABatch("batch: required, an array of at least one message");
        }
        return new SegmentBatch(items, context, sentAt, writeKey);
    }
}
