package pql.gateway.segment;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code segment:} section: the Segment-compatible HTTP source ({@code POST /v1/track} ...)
 * and how its messages become events. Every default is documented in docs/SEGMENT.md.
 */
public class SegmentConfig {

    /** Off: the /v1 paths answer 404. */
    @JsonProperty
    private boolean enabled = true;

    /** Segment's limit per message (a single call's body, and each item of a batch). */
    @JsonProperty
    @Min(1024)
    @Max(1024 * 1024)
    private int maxMessageBytes = 32 * 1024;

    /** Segment's limit per batch request (after gzip is undone). */
    @JsonProperty
    @Min(1024)
    @Max(16 * 1024 * 1024)
    private int maxBatchBytes = 500 * 1024;

    /**
     * Where a message's account is read, first non-blank wins (a {@code group} call's own
     * {@code groupId} always wins). Paths into the message; the batch's {@code context} counts as the
     * message's when the message has none of its own.
     */
    @JsonProperty
    @NotEmpty
    private List<String> accountIdFrom = List.of("context.groupId", "properties.groupId", "traits.groupId", "traits.company.id");

    /** The track property holding a product action's quantity (absent: 1). */
    @JsonProperty
    @NotNull
    private String quantityProperty = "quantity";

    /**
     * Track event name → kind; names not listed are product actions named in snake case
     * ("Report Created" → report_created). Kinds: product_action, sales_assistance_requested,
     * plan_limit_reached, outcome_converted, outcome_lost, ignore.
     */
    @JsonProperty
    @NotNull
    private Map<String, TrackKind> events = defaultEvents();

    /** page and screen calls: ignore (counted, nothing stored) or product_action (page_viewed / screen_viewed). */
    @JsonProperty
    @NotNull
    private PageHandling pages = PageHandling.IGNORE;

    /** The group traits that fill the account profile's fields; every other trait is a custom trait. */
    @JsonProperty
    @Valid
    @NotNull
    private GroupTraits groupTraits = new GroupTraits();

    /** Properties read by the non-action kinds. */
    @JsonProperty
    @Valid
    @NotNull
    private TrackProperties trackProperties = new TrackProperties();

    /** Currency of a deal size or revenue sent without one. */
    @JsonProperty
    @NotNull
    private String defaultCurrency = "USD";

    /**
     * sentAt clock-skew correction applies when receivedAt - sentAt is beyond this: under it the
     * client's timestamp is kept as sent, so a retry (same sentAt, later receivedAt) maps to the
     * same event and is a DUPLICATE.
     */
    @JsonProperty
    @Min(0)
    private int clockSkewToleranceSeconds = 60;

    /** How many rejected items {@code pql ingest-errors} can list (the newest; memory only). */
    @JsonProperty
    @Min(1)
    @Max(100_000)
    private int errorLogSize = 1000;

    public enum TrackKind {
        @JsonProperty("product_action") PRODUCT_ACTION,
        @JsonProperty("sales_assistance_requested") SALES_ASSISTANCE_REQUESTED,
        @JsonProperty("plan_limit_reached") PLAN_LIMIT_REACHED,
        @JsonProperty("outcome_converted") OUTCOME_CONVERTED,
        @JsonProperty("outcome_lost") OUTCOME_LOST,
        @JsonProperty("ignore") IGNORE
    }

    public enum PageHandling {
        @JsonProperty("ignore") IGNORE,
        @JsonProperty("product_action") PRODUCT_ACTION
    }

    private static Map<String, TrackKind> defaultEvents() {
        Map<String, TrackKind> events = new LinkedHashMap<>();
        events.put("Demo Requested", TrackKind.SALES_ASSISTANCE_REQUESTED);
        events.put("Sales Contact Requested", TrackKind.SALES_ASSISTANCE_REQUESTED);
        events.put("Plan Limit Reached", TrackKind.PLAN_LIMIT_REACHED);
        events.put("Order Completed", TrackKind.OUTCOME_CONVERTED);
        events.put("Trial Lost", TrackKind.OUTCOME_LOST);
        return events;
    }

    /** Trait names of a group call. */
    public static class GroupTraits {
        @JsonProperty @NotNull private String name = "name";
        @JsonProperty @NotNull private String plan = "plan";
        @JsonProperty @NotNull private String dealSize = "deal_size";
        @JsonProperty @NotNull private String currency = "currency";
        @JsonProperty @NotNull private String opportunitySize = "opportunity_size";
        @JsonProperty @NotNull private String owner = "owner";
        @JsonProperty @NotNull private String trialStart = "trial_start";
        @JsonProperty @NotNull private String trialEnd = "trial_end";
        @JsonProperty @NotNull private String fit = "fit";

        public String name() { return name; }
        public String plan() { return plan; }
        public String dealSize() { return dealSize; }
        public String currency() { return currency; }
        public String opportunitySize() { return opportunitySize; }
        public String owner() { return owner; }
        public String trialStart() { return trialStart; }
        public String trialEnd() { return trialEnd; }
        public String fit() { return fit; }

        List<String> all() {
            return List.of(name, plan, dealSize, currency, opportunitySize, owner, trialStart, trialEnd, fit);
        }
    }

    /** Property names of the kinds other than product actions. */
    public static class TrackProperties {
        /** plan_limit_reached: which limit (required), usage and the limit's value. */
        @JsonProperty @NotNull private String limit = "limit";
        @JsonProperty @NotNull private String usage = "usage";
        @JsonProperty @NotNull private String limitValue = "limit_value";
        /** outcome_converted: the amount (required), its currency, whether sales were involved (default false). */
        @JsonProperty @NotNull private String revenue = "revenue";
        @JsonProperty @NotNull private String currency = "currency";
        @JsonProperty @NotNull private String salesTouched = "sales_touched";
        /** sales_assistance_requested / outcome_lost: free text. */
        @JsonProperty @NotNull private String note = "note";

        public String limit() { return limit; }
        public String usage() { return usage; }
        public String limitValue() { return limitValue; }
        public String revenue() { return revenue; }
        public String currency() { return currency; }
        public String salesTouched() { return salesTouched; }
        public String note() { return note; }
    }

    public boolean isEnabled() {
        return enabled;
    }

    public int getMaxMessageBytes() {
        return maxMessageBytes;
    }

    public int getMaxBatchBytes() {
        return maxBatchBytes;
    }

    public List<String> getAccountIdFrom() {
        return accountIdFrom;
    }

    public String getQuantityProperty() {
        return quantityProperty;
    }

    public Map<String, TrackKind> getEvents() {
        return events;
    }

    public PageHandling getPages() {
        return pages;
    }

    public GroupTraits getGroupTraits() {
        return groupTraits;
    }

    public TrackProperties getTrackProperties() {
        return trackProperties;
    }

    public String getDefaultCurrency() {
        return defaultCurrency;
    }

    public int getClockSkewToleranceSeconds() {
        return clockSkewToleranceSeconds;
    }

    public int getErrorLogSize() {
        return errorLogSize;
    }
}
