package pql.scoring.axon;

import java.time.Clock;
import java.util.List;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import pql.eventstore.EventStore;
import pql.scoring.app.ProjectionEngine;
import pql.scoring.app.ScoringProjection;
import pql.scoring.store.SegmentCheckpointStore;

/**
 * Projections as Axon pooled streaming processors over the event log. Durable projections share the
 * configured token store (claims) and checkpoint into the snapshot store; temporary ones get a token
 * store of their own and no checkpoints.
 */
public final class AxonProjectionEngine implements ProjectionEngine {

    private final EventStore store;
    private final ProjectionRunner.Sharing sharing;
    private final SegmentCheckpointStore snapshots;
    private final ProjectionRunner.Settings durable;
    private final ProjectionRunner.Settings temporary;
    private final Clock clock;
    private final ProjectionTelemetry telemetry;

    public AxonProjectionEngine(EventStore store, TokenStore tokens, SegmentCheckpointStore snapshots,
            ProjectionRunner.Settings durable, Clock clock) {
        this(store, ProjectionRunner.Sharing.local(tokens), snapshots, durable, clock);
    }

    public AxonProjectionEngine(EventStore store, ProjectionRunner.Sharing sharing, SegmentCheckpointStore snapshots,
            ProjectionRunner.Settings durable, Clock clock) {
        this(store, sharing, snapshots, durable, clock, ProjectionTelemetry.NONE);
    }

    /**
     * @param sharing claims shared with other processes (durable projections only)
     * @param telemetry spans per applied batch (linked to the live events' recorded traces), events counter
     */
    public AxonProjectionEngine(EventStore store, ProjectionRunner.Sharing sharing, SegmentCheckpointStore snapshots,
            ProjectionRunner.Settings durable, Clock clock, ProjectionTelemetry telemetry) {
        this.telemetry = telemetry;
        this.store = store;
        this.sharing = sharing;
        this.snapshots = snapshots;
        this.durable = durable;
        this.temporary = durable.withoutCheckpoints();
        this.clock = clock;
    }

    @Override
    public Running start(ScoringProjection projection, String name, Mode mode) {
        ProjectionRunner runner = mode == Mode.DURABLE
                ? new ProjectionRunner(projection, name, store, sharing, snapshots, durable, clock, telemetry)
                : new ProjectionRunner(projection, name, store, ProjectionRunner.Sharing.local(new InMemoryTokenStore()), null,
                        temporary, clock, telemetry);
        runner.start();
        return new Running() {
            @Override
            public void stop() {
                runner.stop();
            }

            @Override
            public void discard() {
                runner.discard();
            }
        };
    }

    @Override
    public long headPosition() {
        return store.headPosition();
    }

    @Override
    public void forget(String name) {
        snapshots.deleteAll(name);
    }

    /** Checkpointed processors that no live process runs (a shadow another process still replays is not stale). */
    @Override
    public List<String> remembered() {
        var running = sharing.membership().running();
        return snapshots.processors().stream().filter(name -> !running.contains(name)).toList();
    }
}
