package pql.scoring.store;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import pql.eventstore.AppendRequest;
import pql.eventstore.AppendResult;
import pql.eventstore.EventStore;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamIds;
import pql.scoring.app.DefinitionLog;
import pql.scoring.grpc.ScoreProtos;
import pql.scoring.wire.DefinitionProtos;
import pql.scoring.wire.EnvelopeDecoder;
import pql.v1.EventEnvelope;
import pql.v1.ScoringDefinitionActivated;
import pql.v1.ScoringDefinitionPublished;

/**
 * The definitions stream ("pql-definitions") of the event store: ScoringDefinitionPublished and
 * ScoringDefinitionActivated envelopes, appended with an exact expected version.
 */
public final class StoreDefinitionLog implements DefinitionLog {

    private static final String PUBLISHED = ScoringDefinitionPublished.getDescriptor().getFullName();
    private static final String ACTIVATED = ScoringDefinitionActivated.getDescriptor().getFullName();
    private static final int PAGE = 500;

    private final EventStore store;

    public StoreDefinitionLog(EventStore store) {
        this.store = store;
    }

    @Override
    public List<Entry> readFrom(long fromStreamVersion) {
        List<Entry> entries = new ArrayList<>();
        long from = fromStreamVersion;
        List<StoredEvent> page;
        do {
            page = store.readStream(StreamIds.DEFINITIONS, from, PAGE);
            for (StoredEvent event : page) {
                Entry entry = decode(event);
                if (entry != null) {
                    entries.add(entry);
                }
                from = event.streamVersion() + 1;
            }
        } while (page.size() == PAGE);
        return entries;
    }

    private static Entry decode(StoredEvent event) {
        EventEnvelope envelope = event.envelope();
        long at = EnvelopeDecoder.millis(envelope.getRecordedAt());
        try {
            if (PUBLISHED.equals(envelope.getType())) {
                ScoringDefinitionPublished published = ScoringDefinitionPublished.parseFrom(envelope.getPayload());
                List<pql.scoring.domain.definition.Violation> ignored = new ArrayList<>();
                // published before DefinitionBounds existed: brought within them rather than refused
                var definition = pql.scoring.domain.definition.DefinitionValidator.validate(pql.scoring.domain.definition
                        .DefinitionBounds.clamp(DefinitionProtos.toDraft(published.getDefinition(), ignored))).definition();
                if (definition == null) {
                    throw new IllegalStateException("stored definition v" + published.getVersion() + " is invalid");
                }
                return new Published(event.streamVersion(), at, published.getVersion(), definition,
                        published.getPublishedBy());
            }
            if (ACTIVATED.equals(envelope.getType())) {
                ScoringDefinitionActivated activated = ScoringDefinitionActivated.parseFrom(envelope.getPayload());
                return new Activated(event.streamVersion(), at, activated.getVersion(), activated.getActivatedBy());
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt definition event at version " + event.streamVersion(), e);
        }
        return null;
    }

    @Override
    public boolean append(long expectedStreamVersion, List<Entry> entries) {
        List<EventEnvelope> envelopes = new ArrayList<>();
        long next = expectedStreamVersion + 1;
        for (Entry entry : entries) {
            envelopes.add(encode(entry, next++));
        }
        ExpectedVersion expected = expectedStreamVersion < 0 ? ExpectedVersion.NO_STREAM
                : ExpectedVersion.exactly(expectedStreamVersion);
        AppendResult result = store.append(List.of(new AppendRequest(StreamIds.DEFINITIONS, expected, envelopes)))
                .get(0);
        // ids are named by place, so an instance that got there first holds ours with its own content
        return !result.conflict() && result.events().stream().noneMatch(AppendResult.EventOutcome::idReused);
    }

    private static EventEnvelope encode(Entry entry, long streamVersion) {
        EventEnvelope.Builder envelope = EventEnvelope.newBuilder()
                .setOccurredAt(ScoreProtos.timestamp(entry.at()))
                .setRecordedAt(ScoreProtos.timestamp(entry.at()))
                .setSchemaRevision(EnvelopeDecoder.SCHEMA_REVISION);
        if (entry instanceof Published published) {
            return envelope.setEventId("definition-" + streamVersion + "-published-v" + published.version())
                    .setType(PUBLISHED)
                    .setPayload(ScoringDefinitionPublished.newBuilder().setVersion(published.version())
                            .setDefinition(DefinitionProtos.toProto(published.definition()))
                            .setPublishedBy(published.publishedBy()).build().toByteString())
                    .build();
        }
        Activated activated = (Activated) entry;
        return envelope.setEventId("definition-" + streamVersion + "-activated-v" + activated.version())
                .setType(ACTIVATED)
                .setPayload(ScoringDefinitionActivated.newBuilder().setVersion(activated.version())
                        .setActivatedBy(activated.activatedBy()).build().toByteString())
                .build();
    }
}
