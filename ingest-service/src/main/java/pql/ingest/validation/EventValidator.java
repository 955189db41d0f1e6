package pql.ingest.validation;

import static pql.ingest.validation.EventLimits.EARLIEST_OCCURRED_AT;
import static pql.ingest.validation.EventLimits.MAX_FUTURE_SKEW;
import static pql.ingest.validation.EventLimits.MAX_ID_LENGTH;
import static pql.ingest.validation.EventLimits.MAX_KEY_LENGTH;
import static pql.ingest.validation.EventLimits.MAX_MAP_BYTES;
import static pql.ingest.validation.EventLimits.MAX_MAP_ENTRIES;
import static pql.ingest.validation.EventLimits.MAX_MAP_KEY_LENGTH;
import static pql.ingest.validation.EventLimits.MAX_MONEY_MICROS;
import static pql.ingest.validation.EventLimits.MAX_NAME_LENGTH;
import static pql.ingest.validation.EventLimits.MAX_PLAN_USAGE;
import static pql.ingest.validation.EventLimits.MAX_QUANTITY;
import static pql.ingest.validation.EventLimits.MAX_TEXT_LENGTH;

import com.google.protobuf.Descriptors;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import pql.v1.AccountProfiled;
import pql.v1.Channel;
import pql.v1.Communication;
import pql.v1.Direction;
import pql.v1.Event;
import pql.v1.Fit;
import pql.v1.Money;
import pql.v1.OpportunitySize;
import pql.v1.ExchangeRate;
import pql.v1.Outcome;
import pql.v1.OutcomeKind;
import pql.v1.Plan;
import pql.v1.PlanLimitReached;
import pql.v1.ProductAction;
import pql.v1.SalesAssistanceRequested;
import pql.v1.Sentiment;
import pql.v1.UserIdentified;

/**
 * The rules an event must pass before it is stored: every violation at once, each with its path
 * relative to the event ("occurred_at", "product_action.quantity",
 * "account_profiled.deal_size.currency").
 *
 * <p>Enum choices (the proto leaves them to us): a communication needs a direction and a channel
 * (scoring counts inbound interactions and responses, which mean nothing without them), its
 * sentiment may stay UNSPECIFIED (unknown); an account profile's opportunity size, plan and fit
 * may stay UNSPECIFIED (the profile only updates what it sets); an outcome needs its kind. An
 * enum number this server does not know is always rejected: it could not be interpreted later.
 *
 * <p>A field sent with another wire type than its type's (a double as a varint, a timestamp as a
 * number) is rejected at its path: protobuf keeps such bytes aside as an unknown field rather than
 * fail, so the event would otherwise be stored as if the field had not been sent.
 *
 * <p>Pure: no I/O; "now" comes from the injected clock or the caller.
 */
public final class EventValidator {

    private static final String KINDS = "account_profiled, user_identified, product_action, communication, "
            + "sales_assistance_requested, plan_limit_reached, outcome, exchange_rate";
    /** Largest second a google.protobuf.Timestamp may hold (9999-12-31T23:59:59Z). */
    private static final long MAX_TIMESTAMP_SECONDS = 253_402_300_799L;

    private final Clock clock;

    public EventValidator(Clock clock) {
        this.clock = clock;
    }

    /** Violations of {@code event} against the server's clock now; empty when it is valid. */
    public List<Violation> validate(Event event) {
        return validate(event, clock.instant());
    }

    /** As {@link #validate(Event)}, with the instant a whole batch is judged against. */
    public List<Violation> validate(Event event, Instant now) {
        Check check = new Check();
        wireTypes(check, event);
        id(check, "event_id", event.getEventId());
        id(check, "account_id", event.getAccountId());
        occurredAt(check, event, now);
        switch (event.getKindCase()) {
            case ACCOUNT_PROFILED -> accountProfiled(check.at("account_profiled"), event.getAccountProfiled());
            case USER_IDENTIFIED -> userIdentified(check.at("user_identified"), event.getUserIdentified());
            case PRODUCT_ACTION -> productAction(check.at("product_action"), event.getProductAction());
            case COMMUNICATION -> communication(check.at("communication"), event.getCommunication());
            case SALES_ASSISTANCE_REQUESTED -> salesAssistance(check.at("sales_assistance_requested"),
                    event.getSalesAssistanceRequested());
            case PLAN_LIMIT_REACHED -> planLimit(check.at("plan_limit_reached"), event.getPlanLimitReached());
            case OUTCOME -> outcome(check.at("outcome"), event.getOutcome());
            case EXCHANGE_RATE -> exchangeRate(check.at("exchange_rate"), event.getExchangeRate());
            case KIND_NOT_SET -> check.add("kind", missingKind(event));
        }
        return check.violations();
    }

    private static String missingKind(Event event) {
        // A kind added to the API after this server was built arrives as an unknown field.
        Set<Integer> unknown = event.getUnknownFields().asMap().keySet();
        if (unknown.isEmpty()) {
            return "required: exactly one of " + KINDS;
        }
        return "unknown event kind (field number " + unknown + "); expected one of " + KINDS;
    }

    private static void occurredAt(Check check, Event event, Instant now) {
        if (!event.hasOccurredAt()) {
            check.add("occurred_at", "required: when the event happened");
            return;
        }
        wireTypes(check.at("occurred_at"), event.getOccurredAt());
        Timestamp at = event.getOccurredAt();
        if (!hasValidNanos(at)) {
            check.add("occurred_at", "nanos must be within 0..999,999,999");
            return;
        }
        if (at.getSeconds() < EARLIEST_OCCURRED_AT.getEpochSecond()) {
            check.add("occurred_at", "before " + EARLIEST_OCCURRED_AT + ", the earliest accepted");
            return;
        }
        Instant latest = now.plus(MAX_FUTURE_SKEW);
        if (at.getSeconds() > latest.getEpochSecond()
                || Instant.ofEpochSecond(at.getSeconds(), at.getNanos()).isAfter(latest)) {
            check.add("occurred_at", "more than " + MAX_FUTURE_SKEW.toMinutes() + " minutes in the future of the server's clock ("
                    + now + ")");
        }
    }

    private static void accountProfiled(Check check, AccountProfiled profile) {
        wireTypes(check, profile);
        maxLength(check, "name", profile.getName(), MAX_NAME_LENGTH);
        if (profile.hasDealSize()) {
            money(check.at("deal_size"), profile.getDealSize());
        }
        known(check, "opportunity_size", profile.getOpportunitySizeValue(),
                profile.getOpportunitySize() == OpportunitySize.UNRECOGNIZED);
        maxLength(check, "owner", profile.getOwner(), MAX_NAME_LENGTH);
        known(check, "plan", profile.getPlanValue(), profile.getPlan() == Plan.UNRECOGNIZED);
        boolean startValid = !profile.hasTrialStart() || timestamp(check, "trial_start", profile.getTrialStart());
        boolean endValid = !profile.hasTrialEnd() || timestamp(check, "trial_end", profile.getTrialEnd());
        if (profile.hasTrialStart()) {
            wireTypes(check.at("trial_start"), profile.getTrialStart());
        }
        if (profile.hasTrialEnd()) {
            wireTypes(check.at("trial_end"), profile.getTrialEnd());
        }
        if (profile.hasTrialStart() && profile.hasTrialEnd() && startValid && endValid
                && compare(profile.getTrialEnd(), profile.getTrialStart()) < 0) {
            check.add("trial_end", "before trial_start");
        }
        known(check, "fit", profile.getFitValue(), profile.getFit() == Fit.UNRECOGNIZED);
        stringMap(check, "traits", profile.getTraitsMap());
    }

    private static void userIdentified(Check check, UserIdentified user) {
        wireTypes(check, user);
        userId(check, "user_id", user.getUserId(), true);
        maxLength(check, "email", user.getEmail(), MAX_NAME_LENGTH);
        stringMap(check, "traits", user.getTraitsMap());
    }

    private static void productAction(Check check, ProductAction action) {
        wireTypes(check, action);
        userId(check, "user_id", action.getUserId(), true);
        actionName(check, "action", action.getAction());
        if (action.hasQuantity()) {
            bounded(check, "quantity", action.getQuantity(), MAX_QUANTITY);
        }
        stringMap(check, "properties", action.getPropertiesMap());
    }

    private static void communication(Check check, Communication communication) {
        wireTypes(check, communication);
        userId(check, "user_id", communication.getUserId(), false);
        if (communication.getDirection() == Direction.DIRECTION_UNSPECIFIED) {
            check.add("direction", "required: DIRECTION_INBOUND or DIRECTION_OUTBOUND");
        }
        known(check, "direction", communication.getDirectionValue(), communication.getDirection() == Direction.UNRECOGNIZED);
        if (communication.getChannel() == Channel.CHANNEL_UNSPECIFIED) {
            check.add("channel", "required: CHANNEL_EMAIL, CHANNEL_CALL, CHANNEL_MEETING, CHANNEL_CHAT or CHANNEL_TICKET");
        }
        known(check, "channel", communication.getChannelValue(), communication.getChannel() == Channel.UNRECOGNIZED);
        known(check, "sentiment", communication.getSentimentValue(), communication.getSentiment() == Sentiment.UNRECOGNIZED);
    }

    private static void salesAssistance(Check check, SalesAssistanceRequested request) {
        wireTypes(check, request);
        userId(check, "user_id", request.getUserId(), false);
        maxLength(check, "note", request.getNote(), MAX_TEXT_LENGTH);
    }

    private static void planLimit(Check check, PlanLimitReached limit) {
        wireTypes(check, limit);
        if (limit.getLimit().isEmpty()) {
            check.add("limit", "required: which limit was reached, e.g. \"seats\"");
        } else {
            plainText(check, "limit", limit.getLimit(), MAX_KEY_LENGTH);
        }
        userId(check, "user_id", limit.getUserId(), false);
        bounded(check, "usage", limit.getUsage(), MAX_PLAN_USAGE);
        bounded(check, "limit_value", limit.getLimitValue(), MAX_PLAN_USAGE);
    }

    private static void outcome(Check check, Outcome outcome) {
        wireTypes(check, outcome);
        if (outcome.getKind() == OutcomeKind.OUTCOME_KIND_UNSPECIFIED) {
            check.add("kind", "required: OUTCOME_KIND_CONVERTED, OUTCOME_KIND_LOST or OUTCOME_KIND_CHURNED");
        }
        known(check, "kind", outcome.getKindValue(), outcome.getKind() == OutcomeKind.UNRECOGNIZED);
        if (outcome.hasAmount()) {
            money(check.at("amount"), outcome.getAmount());
        } else if (outcome.getKind() == OutcomeKind.OUTCOME_KIND_CONVERTED) {
            check.add("amount", "required for OUTCOME_KIND_CONVERTED: the contract value");
        }
        maxLength(check, "reason", outcome.getReason(), MAX_TEXT_LENGTH);
    }

    private static void exchangeRate(Check check, ExchangeRate rate) {
        wireTypes(check, rate);
        currencyCode(check, "base", rate.getBase());
        currencyCode(check, "quote", rate.getQuote());
        if (!rate.getBase().isEmpty() && rate.getBase().equals(rate.getQuote())) {
            check.add("quote", "must differ from base (" + rate.getBase() + ")");
        }
        String problem = EventLimits.exchangeRateProblem(rate.getRate());
        if (problem != null) {
            check.add("rate", problem + "; got \"" + abbreviate(rate.getRate()) + "\"");
        }
        if (!EventLimits.isEffectiveDate(rate.getEffectiveDate())) {
            check.add("effective_date", "a day YYYY-MM-DD from " + EventLimits.EARLIEST_RATE_DATE + " to 9999-12-31; got \""
                    + abbreviate(rate.getEffectiveDate()) + "\"");
        }
    }

    private static void currencyCode(Check check, String field, String code) {
        if (!isCurrencyCode(code)) {
            check.add(field, "an ISO 4217 code of three upper-case letters, e.g. USD; got \"" + abbreviate(code) + "\"");
        }
    }

    // --- value rules ---

    private static void id(Check check, String field, String value) {
        if (value.isEmpty()) {
            check.add(field, "required: 1.." + MAX_ID_LENGTH + " characters of " + EventLimits.ID_CHARACTERS);
            return;
        }
        if (value.length() > MAX_ID_LENGTH) {
            check.add(field, "longer than " + MAX_ID_LENGTH + " characters (" + value.length() + ")");
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isIdCharacter(c)) {
                check.add(field, "character " + describe(c) + " at " + i + " is not allowed; use " + EventLimits.ID_CHARACTERS);
                return;
            }
        }
    }

    private static void actionName(Check check, String field, String value) {
        if (value.isEmpty()) {
            check.add(field, "required: 1.." + MAX_KEY_LENGTH + " characters of " + EventLimits.ACTION_CHARACTERS);
            return;
        }
        if (value.length() > MAX_KEY_LENGTH) {
            check.add(field, "longer than " + MAX_KEY_LENGTH + " characters (" + value.length() + ")");
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isActionCharacter(c)) {
                check.add(field, "character " + describe(c) + " at " + i + " is not allowed; use " + EventLimits.ACTION_CHARACTERS);
                return;
            }
        }
    }

    private static void userId(Check check, String field, String value, boolean required) {
        if (value.isEmpty()) {
            if (required) {
                check.add(field, "required: 1.." + MAX_KEY_LENGTH + " characters");
            }
            return;
        }
        plainText(check, field, value, MAX_KEY_LENGTH);
    }

    /** At most {@code max} characters and no control characters: the value becomes a key. */
    private static void plainText(Check check, String field, String value, int max) {
        if (maxLength(check, field, value, max)) {
            for (int i = 0; i < value.length(); i++) {
                if (Character.isISOControl(value.charAt(i))) {
                    check.add(field, "control character " + describe(value.charAt(i)) + " at " + i + " is not allowed");
                    return;
                }
            }
        }
    }

    /** True when within the limit; characters are Unicode code points. */
    private static boolean maxLength(Check check, String field, String value, int max) {
        // length() >= code points, so short strings skip the count
        if (value.length() > max && value.codePointCount(0, value.length()) > max) {
            check.add(field, "longer than " + max + " characters (" + value.codePointCount(0, value.length()) + ")");
            return false;
        }
        return true;
    }

    private static void bounded(Check check, String field, double value, double max) {
        if (!Double.isFinite(value)) {
            check.add(field, "must be a finite number, not " + value);
        } else if (value < 0) {
            check.add(field, "must be >= 0, not " + value);
        } else if (value > max) {
            check.add(field, "must be at most " + new java.math.BigDecimal(max).toPlainString() + ", not " + value);
        }
    }

    private static void money(Check check, Money money) {
        wireTypes(check, money);
        if (money.getAmountMicros() < 0) {
            check.add("amount_micros", "must be >= 0, not " + money.getAmountMicros());
        } else if (money.getAmountMicros() > MAX_MONEY_MICROS) {
            check.add("amount_micros", "at most " + MAX_MONEY_MICROS + " (10^12 currency units), not "
                    + money.getAmountMicros());
        }
        if (!money.getExactAmount().isEmpty()) {
            check.add("exact_amount", "only the server sets it, on totals too large for amount_micros; send amount_micros");
        }
        currencyCode(check, "currency", money.getCurrency());
    }

    /** Rejects enum numbers this server does not know (proto3 enums are open). */
    private static void known(Check check, String field, int number, boolean unrecognized) {
        if (unrecognized) {
            check.add(field, "unknown value " + number);
        }
    }

    /** True when valid; a timestamp field other than occurred_at may be in the future. */
    private static boolean timestamp(Check check, String field, Timestamp value) {
        if (!hasValidNanos(value)) {
            check.add(field, "nanos must be within 0..999,999,999");
            return false;
        }
        if (value.getSeconds() < EARLIEST_OCCURRED_AT.getEpochSecond()) {
            check.add(field, "before " + EARLIEST_OCCURRED_AT + ", the earliest accepted");
            return false;
        }
        if (value.getSeconds() > MAX_TIMESTAMP_SECONDS) {
            check.add(field, "after 9999-12-31T23:59:59Z");
            return false;
        }
        return true;
    }

    private static void stringMap(Check check, String field, Map<String, String> map) {
        if (map.isEmpty()) {
            return;
        }
        if (map.size() > MAX_MAP_ENTRIES) {
            check.add(field, "at most " + MAX_MAP_ENTRIES + " entries, not " + map.size());
        }
        MapSize size = new MapSize();
        // forEach, not entrySet(): the unmodifiable view would wrap every entry in a new object
        map.forEach((key, value) -> {
            if (size.badKey == null && (key.isEmpty()
                    || key.length() > MAX_MAP_KEY_LENGTH && key.codePointCount(0, key.length()) > MAX_MAP_KEY_LENGTH)) {
                size.badKey = key;
            }
            size.bytes += utf8Length(key) + utf8Length(value);
        });
        if (size.badKey != null) {
            check.add(field, size.badKey.isEmpty() ? "keys cannot be empty"
                    : "key \"" + abbreviate(size.badKey) + "\" is longer than " + MAX_MAP_KEY_LENGTH + " characters");
        }
        long bytes = size.bytes;
        if (bytes > MAX_MAP_BYTES) {
            check.add(field, "keys and values total " + bytes + " bytes, more than " + MAX_MAP_BYTES);
        }
    }

    /**
     * Known fields among the message's unknown ones: sent with the wrong wire type. The field's
     * path is then taken: its other checks ("required") would only repeat the same problem.
     */
    private static void wireTypes(Check check, MessageOrBuilder message) {
        Map<Integer, com.google.protobuf.UnknownFieldSet.Field> unknown = message.getUnknownFields().asMap();
        if (unknown.isEmpty()) {
            return;
        }
        Descriptors.Descriptor type = message.getDescriptorForType();
        for (Integer number : unknown.keySet()) {
            Descriptors.FieldDescriptor field = type.findFieldByNumber(number);
            if (field != null) {
                check.add(field.getName(), "sent with the wrong wire type for a " + field.getType().name()
                        .toLowerCase(Locale.ROOT) + " field (number " + number + ")");
                check.taken(field.getName());
            }
        }
    }

    // --- helpers ---

    private static boolean hasValidNanos(Timestamp value) {
        return value.getNanos() >= 0 && value.getNanos() <= 999_999_999;
    }

    private static int compare(Timestamp a, Timestamp b) {
        int seconds = Long.compare(a.getSeconds(), b.getSeconds());
        return seconds != 0 ? seconds : Integer.compare(a.getNanos(), b.getNanos());
    }

    private static boolean isIdCharacter(char c) {
        return isAsciiAlphanumeric(c) || c == '.' || c == '_' || c == ':' || c == '@' || c == '/' || c == '-';
    }

    private static boolean isActionCharacter(char c) {
        return isAsciiAlphanumeric(c) || c == '_' || c == '.' || c == ':' || c == '/' || c == '-';
    }

    private static boolean isAsciiAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean isCurrencyCode(String value) {
        if (value.length() != 3) {
            return false;
        }
        for (int i = 0; i < 3; i++) {
            char c = value.charAt(i);
            if (c < 'A' || c > 'Z') {
                return false;
            }
        }
        return true;
    }

    private static long utf8Length(String value) {
        long bytes = value.length();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                // 2 bytes below U+0800, 3 above; a surrogate pair (4 bytes) counts 2 + 2
                bytes += c < 0x800 ? 1 : (Character.isSurrogate(c) ? 1 : 2);
            }
        }
        return bytes;
    }

    private static String describe(char c) {
        if (c >= 0x21 && c < 0x7f) {
            return "'" + c + "'";
        }
        return String.format("U+%04X", (int) c);
    }

    /** Echoes at most 40 characters of a client's value in an error. */
    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }

    /** Collects violations under a path prefix; allocates no list for a valid event. */
    private static final class Check {
        private final String prefix;
        private final Sink sink;

        Check() {
            this("", new Sink());
        }

        private Check(String prefix, Sink sink) {
            this.prefix = prefix;
            this.sink = sink;
        }

        Check at(String path) {
            return new Check(prefix.isEmpty() ? path : prefix + "." + path, sink);
        }

        void add(String field, String description) {
            String path = prefix.isEmpty() ? field : prefix + "." + field;
            if (sink.taken != null && sink.taken.contains(path)) {
                return;
            }
            if (sink.violations == null) {
                sink.violations = new ArrayList<>(2);
            }
            sink.violations.add(new Violation(path, description));
        }

        /** Later violations at {@code field} are dropped: the one reported says it all. */
        void taken(String field) {
            if (sink.taken == null) {
                sink.taken = new HashSet<>();
            }
            sink.taken.add(prefix.isEmpty() ? field : prefix + "." + field);
        }

        List<Violation> violations() {
            return sink.violations == null ? List.of() : List.copyOf(sink.violations);
        }
    }

    private static final class MapSize {
        private long bytes;
        private String badKey;
    }

    private static final class Sink {
        private List<Violation> violations;
        private Set<String> taken;
    }
}
