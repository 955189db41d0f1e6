package pql.scoring;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * The {@code scoring.alerts:} section: webhook alerts delivered from a durable journal (see the
 * service README, "Alerts"). Subscriptions themselves are added at run time through AlertService;
 * {@code webhookUrl} is the default one.
 */
public class AlertSettings {

    /** The default subscription (id "default", Slack format, every account); empty or null (an unset environment variable): none. More subscriptions come and go at run time through AlertService. */
    @JsonProperty
    private String webhookUrl = "";

    /** HMAC key of the default subscription's X-Pql-Signature; empty: generated once and kept in {@code <dataDirectory>/alerts/default-secret}. */
    @JsonProperty
    private String webhookSecret = "";

    /** Transition kinds that alert: BECAME_PQL, KINDS_CHANGED, NO_LONGER_PQL, LEVELS_CHANGED. */
    @JsonProperty
    @NotNull
    private List<String> on = List.of("BECAME_PQL", "KINDS_CHANGED", "NO_LONGER_PQL");

    /** A transition whose instant is older than this behind the clock is history: summarised, never posted alone. */
    @JsonProperty
    @NotNull
    private Duration freshness = Duration.hours(24);

    /** A backfill summary is posted once no old transition has come for this long. */
    @JsonProperty
    @NotNull
    private Duration summaryQuietPeriod = Duration.seconds(30);

    /** POSTs per second per subscription at most (Slack takes about one per second per webhook). */
    @JsonProperty
    @DecimalMin("0.001")
    @DecimalMax("1000")
    private double ratePerSecond = 1.0;

    /** First wait after a failed POST without Retry-After; doubles up to maxBackoff. */
    @JsonProperty
    @NotNull
    private Duration initialBackoff = Duration.seconds(1);

    @JsonProperty
    @NotNull
    private Duration maxBackoff = Duration.seconds(60);

    /** An alert still failing this long after it became pending is parked (counted, not tried again). */
    @JsonProperty
    @NotNull
    private Duration parkAfter = Duration.hours(1);

    /** Connect and response timeout of one POST. */
    @JsonProperty
    @NotNull
    private Duration timeout = Duration.seconds(5);

    /** Base of the links in messages: {@code <base>/dashboard/#/accounts/<account id>}; empty: no link. */
    @JsonProperty
    private String dashboardBaseUrl = "";

    /** How often the subscriptions are read again from the store (changes made through another scoring process). */
    @JsonProperty
    @NotNull
    private Duration subscriptionRefresh = Duration.seconds(5);

    public String getWebhookUrl() {
        return webhookUrl == null ? "" : webhookUrl;
    }

    public AlertSettings setWebhookUrl(String webhookUrl) {
        this.webhookUrl = webhookUrl;
        return this;
    }

    public String getWebhookSecret() {
        return webhookSecret == null ? "" : webhookSecret;
    }

    public AlertSettings setWebhookSecret(String webhookSecret) {
        this.webhookSecret = webhookSecret;
        return this;
    }

    public List<String> getOn() {
        return on;
    }

    public AlertSettings setOn(List<String> on) {
        this.on = on;
        return this;
    }

    public Duration getFreshness() {
        return freshness;
    }

    public AlertSettings setFreshness(Duration freshness) {
        this.freshness = freshness;
        return this;
    }

    public Duration getSummaryQuietPeriod() {
        return summaryQuietPeriod;
    }

    public AlertSettings setSummaryQuietPeriod(Duration summaryQuietPeriod) {
        this.summaryQuietPeriod = summaryQuietPeriod;
        return this;
    }

    public double getRatePerSecond() {
        return ratePerSecond;
    }

    public AlertSettings setRatePerSecond(double ratePerSecond) {
        this.ratePerSecond = ratePerSecond;
        return this;
    }

    public Duration getInitialBackoff() {
        return initialBackoff;
    }

    public AlertSettings setInitialBackoff(Duration initialBackoff) {
        this.initialBackoff = initialBackoff;
        return this;
    }

    public Duration getMaxBackoff() {
        return maxBackoff;
    }

    public AlertSettings setMaxBackoff(Duration maxBackoff) {
        this.maxBackoff = maxBackoff;
        return this;
    }

    public Duration getParkAfter() {
        return parkAfter;
    }

    public AlertSettings setParkAfter(Duration parkAfter) {
        this.parkAfter = parkAfter;
        return this;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public AlertSettings setTimeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    public String getDashboardBaseUrl() {
        return dashboardBaseUrl == null ? "" : dashboardBaseUrl;
    }

    public AlertSettings setDashboardBaseUrl(String dashboardBaseUrl) {
        this.dashboardBaseUrl = dashboardBaseUrl;
        return this;
    }

    public Duration getSubscriptionRefresh() {
        return subscriptionRefresh;
    }

    public AlertSettings setSubscriptionRefresh(Duration subscriptionRefresh) {
        this.subscriptionRefresh = subscriptionRefresh;
        return this;
    }

}
