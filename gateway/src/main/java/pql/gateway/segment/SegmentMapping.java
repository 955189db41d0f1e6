package pql.gateway.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Timestamp;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import pql.common.api.EnumNames;
import pql.v1.AccountProfiled;
import pql.v1.Event;
import pql.v1.Fit;
import pql.v1.Money;
import pql.v1.OpportunitySize;
import pql.v1.Outcome;
import pql.v1.OutcomeKind;
import pql.v1.Plan;
import pql.v1.PlanLimitReached;
import pql.v1.ProductAction;
import pql.v1.SalesAssistanceRequested;
import pql.v1.UserIdentified;

/**
 * One Segment message (track, identify, group, page, screen, alias) to one {@link Event}, by the
 * {@code segment:} configuration. Pure: no HTTP, no gRPC; the event's own rules (lengths, ids, ranges)
 * are left to ingest-service's validation, the one place that checks every source.
 *
 * <p>Timestamps follow Segment's rules: the event happened at {@code timestamp}, or when received
 * when the message has none; when {@code sentAt} is sent too and the sender's clock is off by more
 * than the tolerance, {@code timestamp} is moved by receivedAt - sentAt.
 */
public final class SegmentMapping {

    private static final DateTimeFormatter LENIENT_OFFSET = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS][.SS][.S]XX", Locale.ROOT);

    private static final Set<String> MAPPED_TYPES = Set.of("identify", "group", "page", "screen");

    private final SegmentConfig config;
    private final Set<String> profileTraits;

    public SegmentMapping(SegmentConfig config) {
        this.config = config;
        this.profileTraits = Set.copyOf(config.getGroupTraits().all());
    }

    /**
     * @param message      one message (a single call's body or an item of a batch)
     * @param batchContext the batch's {@code context} (null for a single call)
     * @param batchSentAt  the batch's {@code sentAt} (null when absent)
     * @param receivedAt   when the gateway received the request
     * @param expectedType the type the path names (track for /v1/track), null for a batch item
     */
    public SegmentMessage map(JsonNode message, JsonNode batchContext, String batchSentAt, Instant receivedAt, String expectedType) {
        String type = text(message.get("type"));
        if (type == null) {
            type = expectedType;
        }
        String eventName = text(message.get("event"));
        String messageId = text(message.get("messageId"));
        String eventId = messageId != null ? messageId : derivedId(message);
        SegmentMessage.About about = new SegmentMessage.About(eventId, type, eventName, null);
        if (!message.isObject()) {
            return new SegmentMessage.Rejected(about, "NOT_AN_OBJECT", "a message must be a JSON object");
        }
        if (type == null) {
            return new SegmentMessage.Rejected(about, "NO_TYPE", "type: required in a batch item (track, identify, group, page, screen, alias)");
        }
        if (expectedType != null && !expectedType.equals(type)) {
            return new SegmentMessage.Rejected(about, "WRONG_TYPE", "type: '" + type + "' sent to /v1/" + expectedType);
        }
        if (type.equals("alias")) {
            return new SegmentMessage.Ignored(about, "alias: users are not merged");
        }
        if ((type.equals("page") || type.equals("screen")) && config.getPages() == SegmentConfig.PageHandling.IGNORE) {
            return new SegmentMessage.Ignored(about, type + ": ignored by configuration (segment.pages)");
        }
        SegmentConfig.TrackKind kind = SegmentConfig.TrackKind.PRODUCT_ACTION;
        if (type.equals("track")) {
            if (eventName == null) {
                return new SegmentMessage.Rejected(about, "NO_EVENT_NAME", "event: required for a track call");
            }
            kind = config.getEvents().getOrDefault(eventName, SegmentConfig.TrackKind.PRODUCT_ACTION);
            if (kind == SegmentConfig.TrackKind.IGNORE) {
                return new SegmentMessage.Ignored(about, "event '" + eventName + "' ignored by configuration (segment.events)");
            }
        } else if (!MAPPED_TYPES.contains(type)) {
            return new SegmentMessage.Rejected(about, "UNKNOWN_TYPE", "type: unknown value '" + type
                    + "'; one of track, identify, group, page, screen, alias");
        }

        String account = type.equals("group") ? text(message.get("groupId")) : accountOf(message, batchContext);
        about = new SegmentMessage.About(eventId, type, eventName, account);
        if (account == null) {
            return new SegmentMessage.Rejected(about, "ACCOUNT_UNRESOLVED", type.equals("group")
                    ? "groupId: required for a group call"
                    : "no account: none of " + String.join(", ", config.getAccountIdFrom()) + " is set");
        }
        Instant occurredAt;
        try {
            occurredAt = occurredAt(message, batchSentAt, receivedAt);
        } catch (DateTimeParseException e) {
            return new SegmentMessage.Rejected(about, "BAD_TIMESTAMP", e.getMessage());
        }
        Event.Builder event = Event.newBuilder()
                .setEventId(eventId)
                .setAccountId(account)
                .setOccurredAt(timestamp(occurredAt));
        String user = text(message.get("userId"));
        if (user == null) {
            user = text(message.get("anonymousId"));
        }
        JsonNode properties = message.path("properties");
        try {
            switch (type) {
                case "group" -> event.setAccountProfiled(profile(message.path("traits")));
                case "identify" -> {
                    if (user == null) {
                        return new SegmentMessage.Rejected(about, "NO_USER", "userId or anonymousId: required for identify");
                    }
                    UserIdentified.Builder identified = UserIdentified.newBuilder().setUserId(user);
                    JsonNode traits = message.path("traits");
                    Optional.ofNullable(text(traits.get("email"))).ifPresent(identified::setEmail);
                    putAll(traits, Set.of("email"), identified::putTraits);
                    event.setUserIdentified(identified);
                }
                case "page", "screen" -> {
                    if (user == null) {
                        return new SegmentMessage.Rejected(about, "NO_USER", "userId or anonymousId: required for a product action");
                    }
                    ProductAction.Builder action = ProductAction.newBuilder().setUserId(user).setAction(type + "_viewed");
                    Optional.ofNullable(text(message.get("name"))).ifPresent(name -> action.putProperties("name", name));
                    putAll(properties, Set.of(), action::putProperties);
                    event.setProductAction(action);
                }
                default -> {
                    String failure = track(kind, event, eventName, user, properties);
                    if (failure != null) {
                        return new SegmentMessage.Rejected(about, "MISSING_PROPERTY", failure);
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            return new SegmentMessage.Rejected(about, "BAD_VALUE", e.getMessage());
        }
        return new SegmentMessage.ToIngest(about, event.build());
    }

    /** Fills the track's kind; a reason when a required property is missing. */
    private String track(SegmentConfig.TrackKind kind, Event.Builder event, String name, String user, JsonNode properties) {
        SegmentConfig.TrackProperties names = config.getTrackProperties();
        switch (kind) {
            case SALES_ASSISTANCE_REQUESTED -> {
                SalesAssistanceRequested.Builder asked = SalesAssistanceRequested.newBuilder();
                Optional.ofNullable(user).ifPresent(asked::setUserId);
                Optional.ofNullable(text(properties.get(names.note()))).ifPresent(asked::setNote);
                event.setSalesAssistanceRequested(asked);
            }
            case PLAN_LIMIT_REACHED -> {
                String limit = text(properties.get(names.limit()));
                if (limit == null) {
                    return "properties." + names.limit() + ": required for '" + name + "' (plan limit reached)";
                }
                PlanLimitReached.Builder reached = PlanLimitReached.newBuilder().setLimit(limit);
                Optional.ofNullable(user).ifPresent(reached::setUserId);
                number(properties, names.usage()).ifPresent(reached::setUsage);
                number(properties, names.limitValue()).ifPresent(reached::setLimitValue);
                event.setPlanLimitReached(reached);
            }
            case OUTCOME_CONVERTED -> {
                if (!properties.hasNonNull(names.revenue())) {
                    return "properties." + names.revenue() + ": required for '" + name + "' (outcome converted)";
                }
                Money amount = money(properties.get(names.revenue()), text(properties.get(names.currency())), "properties." + names.revenue());
                event.setOutcome(Outcome.newBuilder().setKind(OutcomeKind.OUTCOME_KIND_CONVERTED).setAmount(amount)
                        .setSalesTouched(properties.path(names.salesTouched()).asBoolean(false)));
            }
            case OUTCOME_LOST -> {
                Outcome.Builder lost = Outcome.newBuilder().setKind(OutcomeKind.OUTCOME_KIND_LOST);
                Optional.ofNullable(text(properties.get(names.note()))).ifPresent(lost::setReason);
                event.setOutcome(lost);
            }
            default -> {
                if (user == null) {
                    return "userId or anonymousId: required for a product action";
                }
                ProductAction.Builder action = ProductAction.newBuilder().setUserId(user).setAction(actionName(name));
                JsonNode quantity = properties.get(config.getQuantityProperty());
                if (quantity != null && !quantity.isNull()) {
                    if (!quantity.isNumber()) {
                        throw new IllegalArgumentException("properties." + config.getQuantityProperty() + ": a number, was " + quantity);
                    }
                    action.setQuantity(quantity.doubleValue());
                }
                putAll(properties, Set.of(config.getQuantityProperty()), action::putProperties);
                event.setProductAction(action);
            }
        }
        return null;
    }

    private AccountProfiled.Builder profile(JsonNode traits) {
        SegmentConfig.GroupTraits names = config.getGroupTraits();
        AccountProfiled.Builder profile = AccountProfiled.newBuilder();
        Optional.ofNullable(text(traits.get(names.name()))).ifPresent(profile::setName);
        Optional.ofNullable(text(traits.get(names.owner()))).ifPresent(profile::setOwner);
        if (traits.hasNonNull(names.dealSize())) {
            profile.setDealSize(money(traits.get(names.dealSize()), text(traits.get(names.currency())), "traits." + names.dealSize()));
        }
        enumValue(traits, names.plan(), Plan.getDescriptor()).ifPresent(number -> profile.setPlan(Plan.forNumber(number)));
        enumValue(traits, names.fit(), Fit.getDescriptor()).ifPresent(number -> profile.setFit(Fit.forNumber(number)));
        enumValue(traits, names.opportunitySize(), OpportunitySize.getDescriptor())
                .ifPresent(number -> profile.setOpportunitySize(OpportunitySize.forNumber(number)));
        Optional.ofNullable(text(traits.get(names.trialStart()))).ifPresent(at -> profile.setTrialStart(timestamp(instant(at, "traits." + names.trialStart()))));
        Optional.ofNullable(text(traits.get(names.trialEnd()))).ifPresent(at -> profile.setTrialEnd(timestamp(instant(at, "traits." + names.trialEnd()))));
        putAll(traits, profileTraits, profile::putTraits);
        return profile;
    }

    /** An enum trait in any short form ("trial", "TRIAL", "PLAN_TRIAL"); unknown values are an error, never guessed. */
    private static Optional<Integer> enumValue(JsonNode traits, String name, EnumDescriptor type) {
        String text = text(traits.get(name));
        if (text == null) {
            return Optional.empty();
        }
        return Optional.of(EnumNames.find(type, text)
                .orElseThrow(() -> new IllegalArgumentException("traits." + name + ": " + EnumNames.unknownValue(type, text)))
                .getNumber());
    }

    private Money money(JsonNode amount, String currency, String field) {
        BigDecimal units;
        try {
            units = amount.isNumber() ? amount.decimalValue() : new BigDecimal(amount.asText().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": a number, was " + amount);
        }
        long micros;
        try {
            micros = units.movePointRight(6).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(field + ": out of range, was " + amount);
        }
        return Money.newBuilder().setAmountMicros(micros)
                .setCurrency(currency == null ? config.getDefaultCurrency() : currency.toUpperCase(Locale.ROOT)).build();
    }

    private static Optional<Double> number(JsonNode properties, String name) {
        JsonNode value = properties.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException("properties." + name + ": a number, was " + value);
        }
        return Optional.of(value.doubleValue());
    }

    private String accountOf(JsonNode message, JsonNode batchContext) {
        for (String path : config.getAccountIdFrom()) {
            String value = text(at(message, path));
            if (value == null && batchContext != null && path.startsWith("context.") && !message.path("context").isObject()) {
                value = text(at(batchContext, path.substring("context.".length())));
            }
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static JsonNode at(JsonNode node, String dottedPath) {
        JsonNode current = node;
        for (String part : dottedPath.split("\\.")) {
            current = current.path(part);
        }
        return current;
    }

    Instant occurredAt(JsonNode message, String batchSentAt, Instant receivedAt) {
        String sent = text(message.get("timestamp"));
        if (sent == null) {
            return receivedAt;
        }
        Instant timestamp = instant(sent, "timestamp");
        String sentAtText = Optional.ofNullable(text(message.get("sentAt"))).orElse(batchSentAt);
        if (sentAtText == null) {
            return timestamp;
        }
        Duration skew = Duration.between(instant(sentAtText, "sentAt"), receivedAt);
        return skew.abs().compareTo(Duration.ofSeconds(config.getClockSkewToleranceSeconds())) > 0 ? timestamp.plus(skew) : timestamp;
    }

    /** ISO-8601 with an offset ("Z", "+02:00" or "+0200"), as Segment's libraries write them. */
    static Instant instant(String text, String field) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException first) {
            try {
                return OffsetDateTime.parse(text, LENIENT_OFFSET).toInstant();
            } catch (DateTimeParseException e) {
                throw new DateTimeParseException(field + ": not an ISO-8601 date-time with an offset: '" + text + "'", text, 0);
            }
        }
    }

    /** "Report Created" → report_created: the action charset of ingest ([A-Za-z0-9_.:/-]), lower case. */
    static String actionName(String eventName) {
        // by hand rather than three regular expressions: this runs for every track message
        StringBuilder name = new StringBuilder(eventName.length());
        boolean gap = false;
        for (int i = 0; i < eventName.length(); i++) {
            char c = eventName.charAt(i);
            char lower = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
            boolean kept = lower >= 'a' && lower <= 'z' || lower >= '0' && lower <= '9' || lower == '.' || lower == ':' || lower == '/'
                    || lower == '-';
            if (kept) {
                if (gap && name.length() > 0) {
                    name.append('_');
                }
                name.append(lower);
                gap = false;
            } else {
                gap = true; // '_' and every other character: one separator, none at the ends
            }
        }
        return name.toString();
    }

    /** Strings as they are; numbers and booleans as written; objects and arrays as compact JSON; null skipped. */
    private static void putAll(JsonNode object, Set<String> except, java.util.function.BiConsumer<String, String> put) {
        if (!object.isObject()) {
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (except.contains(field.getKey()) || value.isNull()) {
                continue;
            }
            put.accept(field.getKey(), value.isValueNode() ? value.asText() : value.toString());
        }
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode() || node.isContainerNode()) {
            return null;
        }
        String text = node.asText().trim();
        return text.isEmpty() ? null : text;
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    /**
     * A message without messageId: the hash of its content, so a resend of the very same message is
     * a DUPLICATE rather than a second event.
     */
    private static String derivedId(JsonNode message) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(message.toString().getBytes(StandardCharsets.UTF_8));
            return "segment-sha256:" + HexFormat.of().formatHex(hash, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
