package pql.gateway.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The JSON body of every HTTP error of the API: the gRPC code it stands for, the HTTP status,
 * a message and, for bad requests, each field violation.
 */
public record ErrorBody(
        @JsonProperty("code") String code,
        @JsonProperty("httpStatus") int httpStatus,
        @JsonProperty("message") String message,
        @JsonProperty("fieldViolations") List<FieldViolation> fieldViolations) {

    public record FieldViolation(@JsonProperty("field") String field, @JsonProperty("description") String description) {
    }
}
