package pql.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The {@code ingest:} section: how much the service may hold while the store works, and how
 * streams pipeline. Defaults suit one process on the embedded store ({@code new IngestSettings()}).
 *
 * <pre>
 * ingest:
 *   maxInFlightEvents: 100000       # events accepted by calls, not yet durable, all calls together
 *   maxInFlightBytes: 67108864      # their encoded size (64 MiB)
 *   maxChunksInFlightPerStream: 4   # IngestStream chunks read but not yet answered, per stream
 *   completionThreads: 2            # threads answering calls once the store has written
 *   maxAdmissionWait: 1s            # longest a call (or a stream's chunk) waits for room before RESOURCE_EXHAUSTED
 * </pre>
 *
 * <p>The budget sits below the embedded store's own queue (200,000 events by default), so a lagging
 * store is met by this service's RESOURCE_EXHAUSTED / stream back-pressure first. The bytes counted
 * are the encoded envelopes; the heap holds roughly three to four times that while they wait
 * (request bytes, parsed events, envelopes, the store's records), plus at most one chunk per open
 * stream read while the budget was full.
 *
 * <p>Admission is by time as well as by size: a unary or batch call, or a stream's chunk, that
 * finds no room waits in arrival order, and is refused (RESOURCE_EXHAUSTED with RetryInfo, nothing
 * stored) {@code maxAdmissionWait} after it arrived. Once the store's drain rate is known, the
 * room is also capped at what the store makes durable in {@code maxAdmissionWait}, so an admitted
 * call waits about that long for the store at most ({@link pql.ingest.app.InFlightBudget}).
 */
public class IngestSettings {

    @JsonProperty
    @Min(1)
    private int maxInFlightEvents = 100_000;

    @JsonProperty
    @Min(1)
    private long maxInFlightBytes = 64L * 1024 * 1024;

    @JsonProperty
    @Min(1)
    @Max(64)
    private int maxChunksInFlightPerStream = 4;

    @JsonProperty
    @Min(1)
    @Max(64)
    private int completionThreads = 2;

    @JsonProperty
    @NotNull
    @MaxDuration(value = 60, unit = java.util.concurrent.TimeUnit.SECONDS)
    private Duration maxAdmissionWait = Duration.seconds(1);

    public int getMaxInFlightEvents() {
        return maxInFlightEvents;
    }

    public IngestSettings setMaxInFlightEvents(int maxInFlightEvents) {
        this.maxInFlightEvents = maxInFlightEvents;
        return this;
    }

    public long getMaxInFlightBytes() {
        return maxInFlightBytes;
    }

    public IngestSettings setMaxInFlightBytes(long maxInFlightBytes) {
        this.maxInFlightBytes = maxInFlightBytes;
        return this;
    }

    public int getMaxChunksInFlightPerStream() {
        return maxChunksInFlightPerStream;
    }

    public IngestSettings setMaxChunksInFlightPerStream(int maxChunksInFlightPerStream) {
        this.maxChunksInFlightPerStream = maxChunksInFlightPerStream;
        return this;
    }

    public int getCompletionThreads() {
        return completionThreads;
    }

    public IngestSettings setCompletionThreads(int completionThreads) {
        this.completionThreads = completionThreads;
        return this;
    }

    public Duration getMaxAdmissionWait() {
        return maxAdmissionWait;
    }

    public IngestSettings setMaxAdmissionWait(Duration maxAdmissionWait) {
        this.maxAdmissionWait = maxAdmissionWait;
        return this;
    }
}
