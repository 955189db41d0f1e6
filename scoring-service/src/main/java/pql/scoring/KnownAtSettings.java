package pql.scoring;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * The {@code scoring.knownAt:} section: reads of what was known at an instant (known_at). The serving
 * and shadow projections are snapshotted by log position under {@code <dataDirectory>/knowledge}, and
 * a past known_at folds forward from the nearest snapshot (see the service README).
 */
public class KnownAtSettings {

    /** Log events between two snapshots of a segment, at least (the spacing is also >= head / maxSnapshotsPerSegment). */
    @JsonProperty
    @Min(1)
    private long minSnapshotSpacing = 20_000;

    /** Snapshots kept per segment of each definition version; beyond it they are thinned evenly over the log. */
    @JsonProperty
    @Min(1)
    @Max(1000)
    private int maxSnapshotsPerSegment = 8;

    /** How long the last projection built for a known_at read is kept for the next read of the same instant. */
    @JsonProperty
    @NotNull
    private Duration keepFor = Duration.minutes(2);

    public long getMinSnapshotSpacing() {
        return minSnapshotSpacing;
    }

    public KnownAtSettings setMinSnapshotSpacing(long minSnapshotSpacing) {
        this.minSnapshotSpacing = minSnapshotSpacing;
        return this;
    }

    public int getMaxSnapshotsPerSegment() {
        return maxSnapshotsPerSegment;
    }

    public KnownAtSettings setMaxSnapshotsPerSegment(int maxSnapshotsPerSegment) {
        this.maxSnapshotsPerSegment = maxSnapshotsPerSegment;
        return this;
    }

    public Duration getKeepFor() {
        return keepFor;
    }

    public KnownAtSettings setKeepFor(Duration keepFor) {
        this.keepFor = keepFor;
        return this;
    }
}
