package pql.gateway;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Min;

/** The {@code proxy:} section: limits of the backend calls and the HTTP API. */
public class ProxySettings {

    /** Largest response a backend may send (score pages of 1,000 full scores are big). */
    @JsonProperty
    @Min(1024)
    private int maxResponseBytes = 64 * 1024 * 1024;

    /** How often backend health is asked. */
    @JsonProperty
    @Min(1)
    private int healthPeriodSeconds = 5;

    /** Deadline of the backend calls made for an HTTP request. */
    @JsonProperty
    @Min(1)
    private int httpDeadlineSeconds = 30;

    /** Deadline of a streamed export (CSV of all forecast lines). */
    @JsonProperty
    @Min(1)
    private int exportDeadlineSeconds = 600;

    public int getMaxResponseBytes() {
        return maxResponseBytes;
    }

    public int getHealthPeriodSeconds() {
        return healthPeriodSeconds;
    }

    public int getHttpDeadlineSeconds() {
        return httpDeadlineSeconds;
    }

    public int getExportDeadlineSeconds() {
        return exportDeadlineSeconds;
    }
}
