package pql.gateway.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.util.List;
import pql.gateway.http.openapi.JsonArrayOf;
import pql.v1.PqlTransition;

/**
 * The body of {@code GET /api/v1/transitions/recent}: {@code {"transitions": [...]}} with each
 * transition in proto3 JSON.
 */
public final class TransitionsBody {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
            .alwaysPrintFieldsWithNoPresence().omittingInsignificantWhitespace();

    private final List<String> transitions;

    TransitionsBody(List<PqlTransition> transitions) {
        this.transitions = transitions.stream().map(TransitionsBody::json).toList();
    }

    @JsonProperty("transitions")
    @JsonRawValue
    @JsonArrayOf(PqlTransition.class)
    public String transitions() {
        return "[" + String.join(",", transitions) + "]";
    }

    private static String json(PqlTransition transition) {
        try {
            return PRINTER.print(transition);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a PqlTransition always prints", e);
        }
    }
}
