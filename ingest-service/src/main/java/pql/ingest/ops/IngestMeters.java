package pql.ingest.ops;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import java.util.concurrent.TimeUnit;
import pql.ingest.app.BatchOutcome;
import pql.ingest.app.InFlightBudget;
import pql.ingest.app.IngestMetrics;
import pql.ingest.app.ItemResult;

/**
 * The ingest figures on the admin port (Dropwizard metrics, under "pql.ingest." once registered)
 * and over OTLP (OpenTelemetry): events by result, rejections by reason, append latency, refusals,
 * budget in use. A rejection's reason is {@code id-reused} (the event id holds another event) or
 * {@code invalid.<field>}, the first broken field without indices (e.g.
 * {@code invalid.product_action.quantity}; {@code invalid.event} for the event as a whole).
 */
public final class IngestMeters implements IngestMetrics {

    /** Followed by the reason: {@code events.rejected.reason.invalid.occurred_at}. */
    public static final String REJECTED_BY_REASON = "events.rejected.reason.";

    private static final AttributeKey<String> RESULT = AttributeKey.stringKey("pql.ingest.result");
    private static final Attributes ACCEPTED = Attributes.of(RESULT, "accepted");
    private static final Attributes DUPLICATE = Attributes.of(RESULT, "duplicate");
    private static final Attributes REJECTED = Attributes.of(RESULT, "rejected");

    private final Meter accepted;
    private final Meter duplicates;
    private final Meter rejected;
    private final MetricRegistry registry;
    private final Meter refusedOverloaded;
    private final Meter refusedUnavailable;
    private final Timer append;
    private final LongCounter events;
    private final DoubleHistogram appendMillis;

    public IngestMeters(MetricRegistry registry, io.opentelemetry.api.metrics.Meter meter, InFlightBudget budget) {
        accepted = registry.meter("events.accepted");
        duplicates = registry.meter("events.duplicate");
        rejected = registry.meter("events.rejected");
        this.registry = registry;
        refusedOverloaded = registry.meter("calls.refused.overloaded");
        refusedUnavailable = registry.meter("calls.refused.unavailable");
        append = registry.timer("store.append");
        registry.register("inflight.events", (Gauge<Long>) budget::eventsInFlight);
        registry.register("inflight.bytes", (Gauge<Long>) budget::bytesInFlight);
        events = meter.counterBuilder("pql.ingest.events").setDescription("events ingested, by result").build();
        appendMillis = meter.histogramBuilder("pql.ingest.append.duration").setUnit("ms")
                .setDescription("durable store append of one call").build();
    }

    @Override
    public void recorded(BatchOutcome outcome) {
        count(accepted, outcome.accepted(), ACCEPTED);
        count(duplicates, outcome.duplicates(), DUPLICATE);
        count(rejected, outcome.rejected(), REJECTED);
        if (outcome.rejected() > 0) {
            for (ItemResult result : outcome.results()) {
                String reason = reasonOf(result);
                if (reason != null) {
                    registry.meter(REJECTED_BY_REASON + reason).mark();
                }
            }
        }
    }

    /** The rejection's reason as a metric name part, null for an event that was stored. */
    static String reasonOf(ItemResult result) {
        if (result instanceof ItemResult.IdReused) {
            return "id-reused";
        }
        if (result instanceof ItemResult.Rejected rejection) {
            String field = rejection.violations().isEmpty() ? "" : rejection.violations().get(0).field();
            String withoutIndices = field.replaceAll("\\[[^]]*]", "");
            return "invalid." + (withoutIndices.isBlank() ? "event" : withoutIndices);
        }
        return null;
    }

    private void count(Meter meter, int n, Attributes attributes) {
        if (n > 0) {
            meter.mark(n);
            events.add(n, attributes);
        }
    }

    @Override
    public void appended(long nanos, int eventCount) {
        append.update(nanos, TimeUnit.NANOSECONDS);
        appendMillis.record(nanos / 1e6);
    }

    @Override
    public void refused(Refusal why) {
        (why == Refusal.OVERLOADED ? refusedOverloaded : refusedUnavailable).mark();
    }
}
