package pql.gateway.segment;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Status;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import pql.gateway.auth.ApiKeyRegistry;
import pql.gateway.auth.Caller;
import pql.gateway.auth.PresentedKey;
import pql.gateway.auth.Scope;
import pql.gateway.http.AnyQueryParameters;
import pql.gateway.http.ErrorBody;

/**
 * The Segment HTTP Tracking API on the gateway's HTTP port: {@code POST /v1/track}, identify, group,
 * page, screen, alias, and {@code /v1/batch} (also {@code /v1/import}, where analytics-java posts), and
 * {@code /v1/webhook} for webhook destinations (one message of any type, or an array).
 * The write key is an API key with ingest:write, as Basic username (empty password), Bearer,
 * X-Api-Key or the batch's {@code writeKey}. Answers {@code {"success": true}} once every stored item
 * is durable; items that cannot be stored do not fail the request (as with Segment) but are counted
 * and listed by {@code pql ingest-errors}. Whole-request problems (too large, not JSON, no key) are
 * 400 / 401 / 403 with the JSON error body of the rest of the HTTP API.
 */
// Segment's protocol, not ours: its libraries and webhook senders may add query parameters
@AnyQueryParameters
@Path("/v1")
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public final class SegmentResource {

    private static final Map<String, Boolean> SUCCESS = Map.of("success", true);

    private final SegmentConfig config;
    private final SegmentMapping mapping;
    private final SegmentIngest ingest;
    private final ApiKeyRegistry keys;
    private final ObjectMapper json;
    private final Clock clock;
    private final Counter malformed;
    private final Counter tooLarge;
    private final Counter unauthenticated;

    public SegmentResource(SegmentConfig config, SegmentIngest ingest, ApiKeyRegistry keys, ObjectMapper json, Clock clock,
            MetricRegistry metrics) {
        this.config = config;
        this.mapping = new SegmentMapping(config);
        this.ingest = ingest;
        this.keys = keys;
        this.json = json;
        this.clock = clock;
        this.malformed = metrics.counter("pql.segment.requests.malformed");
        this.tooLarge = metrics.counter("pql.segment.requests.too_large");
        this.unauthenticated = metrics.counter("pql.segment.requests.unauthenticated");
    }

    @POST
    @Path("{type: track|identify|group|page|screen|alias}")
    public Response single(@PathParam("type") String type, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("X-Api-Key") String apiKey, InputStream body) {
        Instant receivedAt = clock.instant();
        Authenticated headerCaller = authenticate(headerKey(authorization, apiKey));
        if (headerCaller.refusal != null) {
            return headerCaller.refusal;
        }
        Body read = read(body, config.getMaxMessageBytes(), "the message is over " + config.getMaxMessageBytes()
                + " bytes (Segment's limit per call is 32 KB); nothing was stored");
        if (read.refusal != null) {
            return read.refusal;
        }
        byte[] bytes = read.bytes;
        JsonNode message;
        try {
            message = json.readTree(bytes);
        } catch (JsonProcessingException e) {
            malformed.inc();
            return error(Status.Code.INVALID_ARGUMENT, "malformed JSON: " + e.getOriginalMessage() + " (" + location(e) + ")");
        } catch (IOException e) {
            return error(Status.Code.INVALID_ARGUMENT, "the body could not be read: " + e.getMessage());
        }
        if (message == null || !message.isObject()) {
            malformed.inc();
            return error(Status.Code.INVALID_ARGUMENT, "the body must be one JSON object (a " + type + " message)");
        }
        Authenticated caller = headerCaller.caller != null ? headerCaller : authenticate(text(message.get("writeKey")));
        if (caller.refusal != null) {
            return caller.refusal;
        }
        if (caller.caller == null) {
            return noKey();
        }
        ingest.ingest(caller.caller, List.of(mapping.map(message, null, null, receivedAt, type)), receivedAt);
        return Response.ok(SUCCESS).build();
    }

    @POST
    @Path("{batch: batch|import}")
    public Response batch(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @HeaderParam("X-Api-Key") String apiKey,
            InputStream body) {
        return many(authorization, apiKey, body, false);
    }

    /**
     * For webhook destinations (Segment's Webhooks (Actions), RudderStack's Webhook): one message of
     * any type, or a JSON array of them, at one URL. Limits as a batch's: 500 KB, 32 KB per message.
     */
    @POST
    @Path("webhook")
    public Response webhook(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @HeaderParam("X-Api-Key") String apiKey,
            InputStream body) {
        return many(authorization, apiKey, body, true);
    }

    private Response many(String authorization, String apiKey, InputStream body, boolean webhook) {
        Instant receivedAt = clock.instant();
        Authenticated headerCaller = authenticate(headerKey(authorization, apiKey));
        if (headerCaller.refusal != null) {
            return headerCaller.refusal;
        }
        Body read = read(body, config.getMaxBatchBytes(), "the batch is over " + config.getMaxBatchBytes()
                + " bytes (Segment's limit per batch is 500 KB): send fewer messages per request; nothing was stored");
        if (read.refusal != null) {
            return read.refusal;
        }
        byte[] bytes = read.bytes;
        SegmentBatch batch;
        try {
            batch = webhook ? SegmentBatch.parseWebhook(json, bytes) : SegmentBatch.parse(json, bytes);
        } catch (JsonProcessingException e) {
            malformed.inc();
            return error(Status.Code.INVALID_ARGUMENT, "malformed JSON: " + e.getOriginalMessage() + " (" + location(e) + ")");
        } catch (SegmentBatch.NotABatch e) {
            malformed.inc();
            return error(Status.Code.INVALID_ARGUMENT, e.getMessage());
        } catch (IOException e) {
            return error(Status.Code.INVALID_ARGUMENT, "the body could not be read: " + e.getMessage());
        }
        Authenticated caller = headerCaller.caller != null ? headerCaller : authenticate(batch.writeKey());
        if (caller.refusal != null) {
            return caller.refusal;
        }
        if (caller.caller == null) {
            return noKey();
        }
        List<SegmentMessage> messages = new ArrayList<>(batch.items().size());
        for (SegmentBatch.Item item : batch.items()) {
            if (item.bytes() > config.getMaxMessageBytes()) {
                String id = item.message().path("messageId").asText("");
                messages.add(new SegmentMessage.Rejected(new SegmentMessage.About(id, item.message().path("type").asText(""),
                        item.message().path("event").asText(""), null), "MESSAGE_TOO_LARGE",
                        "the message is " + item.bytes() + " bytes, over the limit of " + config.getMaxMessageBytes()
                                + " per message (Segment's 32 KB)"));
            } else {
                messages.add(mapping.map(item.message(), batch.context(), batch.sentAt(), receivedAt, null));
            }
        }
        ingest.ingest(caller.caller, messages, receivedAt);
        return Response.ok(SUCCESS).build();
    }

    /** A caller, or the answer that refuses the request. */
    /** The request's bytes, or the answer refusing them (over {@code limit}, broken gzip, unreadable). */
    private record Body(byte[] bytes, Response refusal) {
    }

    private Body read(InputStream body, int limit, String overLimit) {
        try {
            return new Body(SegmentRequestBody.read(body, limit), null);
        } catch (SegmentRequestBody.TooLarge e) {
            tooLarge.inc();
            return new Body(null, error(Status.Code.INVALID_ARGUMENT, overLimit));
        } catch (SegmentRequestBody.BadGzip e) {
            malformed.inc();
            return new Body(null, error(Status.Code.INVALID_ARGUMENT, e.getMessage()));
        } catch (IOException e) {
            return new Body(null, error(Status.Code.INVALID_ARGUMENT, "the body could not be read: " + e.getMessage()));
        }
    }

    private record Authenticated(Caller caller, Response refusal) {
    }

    private Authenticated authenticate(String presented) {
        if (presented == null) {
            return new Authenticated(null, null);
        }
        Caller caller = keys.authenticate(presented).orElse(null);
        if (caller == null) {
            unauthenticated.inc();
            return new Authenticated(null, error(Status.Code.UNAUTHENTICATED, "unknown write key (an API key with ingest:write)"));
        }
        if (!caller.has(Scope.INGEST_WRITE)) {
            return new Authenticated(null, error(Status.Code.PERMISSION_DENIED,
                    "API key '" + caller.name() + "' lacks the scope " + Scope.INGEST_WRITE.label()));
        }
        return new Authenticated(caller, null);
    }

    /** After the body: no key anywhere is 401. */
    private Response noKey() {
        unauthenticated.inc();
        return error(Status.Code.UNAUTHENTICATED,
                "a write key is required: HTTP Basic with the key as user name and an empty password, 'Authorization: Bearer <key>' or 'X-Api-Key'");
    }

    /** Basic (Segment's way: the write key as user name), else Bearer / X-Api-Key. */
    static String headerKey(String authorization, String apiKey) {
        if (authorization != null) {
            String value = authorization.trim();
            if (value.length() > 6 && value.substring(0, 6).toLowerCase(Locale.ROOT).equals("basic ")) {
                try {
                    String decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
                    int colon = decoded.indexOf(':');
                    String user = (colon < 0 ? decoded : decoded.substring(0, colon)).trim();
                    return user.isEmpty() ? null : user;
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return PresentedKey.from(authorization, apiKey);
    }

    private static String text(JsonNode node) {
        return node == null || !node.isTextual() || node.asText().isBlank() ? null : node.asText().trim();
    }

    private static String location(JsonProcessingException e) {
        var at = e.getLocation();
        return at == null ? "at an unknown place" : "line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    static Response error(Status.Code code, String message) {
        int http = switch (code) {
            case UNAUTHENTICATED -> 401;
            case PERMISSION_DENIED -> 403;
            default -> 400;
        };
        return Response.status(http).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(code.name(), http, message, List.of())).build();
    }
}
