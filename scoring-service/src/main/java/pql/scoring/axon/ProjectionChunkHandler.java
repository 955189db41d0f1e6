package pql.scoring.axon;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.eventhandling.Segment;
import pql.eventstore.LogRecord;
import pql.processing.SegmentChunkHandler;
import pql.scoring.app.ScoringProjection;
import pql.scoring.wire.ProductActionReader;

/**
 * Feeds a {@link ScoringProjection} chunk by chunk, one segment at a time: each segment has its own
 * {@link ProductActionReader} (buffers and action-id cache reused, no locking), each batch is applied in
 * a span ({@link ProjectionTelemetry}), and the segment's position is recorded after every chunk so the
 * projection knows how far each segment's accounts go.
 */
final class ProjectionChunkHandler implements SegmentChunkHandler {

    private final ScoringProjection projection;
    private final String processorName;
    private final ProjectionTelemetry telemetry;
    private final Map<Integer, ProductActionReader> readers = new ConcurrentHashMap<>();

    ProjectionChunkHandler(ScoringProjection projection, String processorName, ProjectionTelemetry telemetry) {
        this.projection = projection;
        this.processorName = processorName;
        this.telemetry = telemetry;
    }

    @Override
    public long appliedUpTo(Segment segment) {
        return projection.segmentPosition(segment.getSegmentId());
    }

    @Override
    public void handle(Segment segment, List<LogRecord> events, long upTo) {
        ProductActionReader reader = readers.computeIfAbsent(segment.getSegmentId(),
                id -> new ProductActionReader(projection.definition()));
        projection.beginSegmentChunk(segment.getSegmentId());
        if (!events.isEmpty()) {
            telemetry.applyTraced(processorName, projection, segment.getSegmentId(), events,
                    event -> projection.apply(event, reader));
        }
        projection.recordSegmentPosition(segment.getSegmentId(), upTo);
    }

    @Override
    public void reset() {
        projection.clear();
    }
}
