package pql.ingest.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import pql.v1.AccountProfiled;
import pql.v1.Channel;
import pql.v1.Communication;
import pql.v1.Direction;
import pql.v1.Event;
import pql.v1.Money;
import pql.v1.Outcome;
import pql.v1.OutcomeKind;
import pql.v1.PlanLimitReached;
import pql.v1.ProductAction;

/**
 * What the fuzz tests hold every event to: the validator's answer names its fields, and an event it
 * passes keeps every documented limit (EventLimits, events.proto), so that nothing downstream
 * (scoring's sums, the forecast's money) meets a value the API said it would never store. Written
 * from the limits, not from the validator's code, so that a rule the validator forgets shows up.
 */
public final class AcceptedEventInvariants {

    private static final Pattern ID = Pattern.compile(EventLimits.ID_CHARACTERS + "{1," + EventLimits.MAX_ID_LENGTH + "}");
    private static final Pattern ACTION = Pattern.compile(EventLimits.ACTION_CHARACTERS + "{1," + EventLimits.MAX_KEY_LENGTH + "}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Pattern PATH = Pattern.compile("[a-z_]+(\\.[a-z_]+)*");

    private AcceptedEventInvariants() {
    }

    /** Validates {@code event} as of {@code now} and checks the answer; returns it. */
    public static List<Violation> judge(EventValidator validator, Event event, Instant now) {
        List<Violation> violations = validator.validate(event, now);
        for (Violation violation : violations) {
            assertThat(violation.field()).as("the path of %s", violation).matches(PATH);
            assertThat(violation.description()).as("the description of %s", violation).isNotBlank();
        }
        if (violations.isEmpty()) {
            assertWithinLimits(event, now);
        }
        return violations;
    }

    /** Every documented limit of an accepted event. */
    public static void assertWithinLimits(Event event, Instant now) {
        assertThat(event.getEventId()).matches(ID);
        assertThat(event.getAccountId()).matches(ID);
        assertThat(event.hasOccurredAt()).isTrue();
        Instant occurred = instant(event.getOccurredAt());
        assertThat(occurred).isBetween(EventLimits.EARLIEST_OCCURRED_AT, now.plus(EventLimits.MAX_FUTURE_SKEW));
        switch (event.getKindCase()) {
            case ACCOUNT_PROFILED -> profile(event.getAccountProfiled());
            case USER_IDENTIFIED -> {
                userId(event.getUserIdentified().getUserId(), true);
                maxCodePoints(event.getUserIdentified().getEmail(), EventLimits.MAX_NAME_LENGTH);
                stringMap(event.getUserIdentified().getTraitsMap());
            }
            case PRODUCT_ACTION -> action(event.getProductAction());
            case COMMUNICATION -> communication(event.getCommunication());
            case SALES_ASSISTANCE_REQUESTED -> {
                userId(event.getSalesAssistanceRequested().getUserId(), false);
                maxCodePoints(event.getSalesAssistanceRequested().getNote(), EventLimits.MAX_TEXT_LENGTH);
            }
            case PLAN_LIMIT_REACHED -> planLimit(event.getPlanLimitReached());
            case OUTCOME -> outcome(event.getOutcome());
            case EXCHANGE_RATE -> exchangeRate(event.getExchangeRate());
            case KIND_NOT_SET -> throw new AssertionError("an event without a kind was accepted: " + event);
        }
    }

    private static void profile(AccountProfiled profile) {
        maxCodePoints(profile.getName(), EventLimits.MAX_NAME_LENGTH);
        maxCodePoints(profile.getOwner(), EventLimits.MAX_NAME_LENGTH);
        if (profile.hasDealSize()) {
            money(profile.getDealSize());
        }
        assertThat(profile.getOpportunitySize()).isNotEqualTo(pql.v1.OpportunitySize.UNRECOGNIZED);
        assertThat(profile.getPlan()).isNotEqualTo(pql.v1.Plan.UNRECOGNIZED);
        assertThat(profile.getFit()).isNotEqualTo(pql.v1.Fit.UNRECOGNIZED);
        if (profile.hasTrialStart()) {
            assertThat(instant(profile.getTrialStart())).isAfterOrEqualTo(EventLimits.EARLIEST_OCCURRED_AT);
        }
        if (profile.hasTrialEnd()) {
            assertThat(instant(profile.getTrialEnd())).isAfterOrEqualTo(EventLimits.EARLIEST_OCCURRED_AT);
        }
        if (profile.hasTrialStart() && profile.hasTrialEnd()) {
            assertThat(instant(profile.getTrialEnd())).isAfterOrEqualTo(instant(profile.getTrialStart()));
        }
        stringMap(profile.getTraitsMap());
    }

    private static void action(ProductAction action) {
        userId(action.getUserId(), true);
        assertThat(action.getAction()).matches(ACTION);
        if (action.hasQuantity()) {
            within(action.getQuantity(), EventLimits.MAX_QUANTITY);
        }
        stringMap(action.getPropertiesMap());
    }

    private static void communication(Communication communication) {
        userId(communication.getUserId(), false);
        assertThat(communication.getDirection()).isIn(Direction.DIRECTION_INBOUND, Direction.DIRECTION_OUTBOUND);
        assertThat(communication.getChannel()).isNotIn(Channel.CHANNEL_UNSPECIFIED, Channel.UNRECOGNIZED);
        assertThat(communication.getSentiment()).isNotEqualTo(pql.v1.Sentiment.UNRECOGNIZED);
    }

    private static void planLimit(PlanLimitReached limit) {
        assertThat(limit.getLimit()).isNotEmpty();
        plainText(limit.getLimit(), EventLimits.MAX_KEY_LENGTH);
        userId(limit.getUserId(), false);
        within(limit.getUsage(), EventLimits.MAX_PLAN_USAGE);
        within(limit.getLimitValue(), EventLimits.MAX_PLAN_USAGE);
    }

    private static void exchangeRate(pql.v1.ExchangeRate rate) {
        assertThat(rate.getBase()).matches(CURRENCY).isNotEqualTo(rate.getQuote());
        assertThat(rate.getQuote()).matches(CURRENCY);
        assertThat(new java.math.BigDecimal(rate.getRate())).isPositive().isLessThanOrEqualTo(EventLimits.MAX_EXCHANGE_RATE);
        assertThat(java.time.LocalDate.parse(rate.getEffectiveDate())).isAfterOrEqualTo(EventLimits.EARLIEST_RATE_DATE);
    }

    private static void outcome(Outcome outcome) {
        assertThat(outcome.getKind()).isNotIn(OutcomeKind.OUTCOME_KIND_UNSPECIFIED, OutcomeKind.UNRECOGNIZED);
        if (outcome.hasAmount()) {
            money(outcome.getAmount());
        } else {
            assertThat(outcome.getKind()).isNotEqualTo(OutcomeKind.OUTCOME_KIND_CONVERTED);
        }
        maxCodePoints(outcome.getReason(), EventLimits.MAX_TEXT_LENGTH);
    }

    private static void money(Money money) {
        assertThat(money.getAmountMicros()).isBetween(0L, EventLimits.MAX_MONEY_MICROS);
        assertThat(money.getCurrency()).matches(CURRENCY);
        assertThat(money.getExactAmount()).isEmpty();
    }

    /** Finite and numerically within 0..max (-0.0 is zero, as every sum treats it). */
    private static void within(double value, double max) {
        assertThat(Double.isFinite(value) && value >= 0 && value <= max).as("%s within 0..%s", value, max).isTrue();
    }

    private static void userId(String value, boolean required) {
        if (required) {
            assertThat(value).isNotEmpty();
        }
        plainText(value, EventLimits.MAX_KEY_LENGTH);
    }

    private static void plainText(String value, int max) {
        maxCodePoints(value, max);
        assertThat(value.chars().noneMatch(c -> Character.isISOControl((char) c)))
                .as("no control characters in \"%s\"", value).isTrue();
    }

    private static void maxCodePoints(String value, int max) {
        assertThat(value.codePointCount(0, value.length())).isLessThanOrEqualTo(max);
    }

    private static void stringMap(Map<String, String> map) {
        assertThat(map).hasSizeLessThanOrEqualTo(EventLimits.MAX_MAP_ENTRIES);
        long bytes = 0;
        for (Map.Entry<String, String> entry : map.entrySet()) {
            assertThat(entry.getKey()).isNotEmpty();
            maxCodePoints(entry.getKey(), EventLimits.MAX_MAP_KEY_LENGTH);
            bytes += entry.getKey().getBytes(StandardCharsets.UTF_8).length
                    + entry.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        assertThat(bytes).isLessThanOrEqualTo(EventLimits.MAX_MAP_BYTES);
    }

    private static Instant instant(Timestamp timestamp) {
        assertThat(timestamp.getNanos()).isBetween(0, 999_999_999);
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
