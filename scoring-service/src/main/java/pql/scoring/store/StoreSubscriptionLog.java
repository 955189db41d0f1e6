package pql.scoring.store;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pql.eventstore.AppendRequest;
import pql.eventstore.EventStore;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.StoredEvent;
import pql.scoring.alerts.Subscription;
import pql.scoring.alerts.SubscriptionLog;
import pql.scoring.domain.OpportunitySize;
import pql.scoring.domain.Persona;
import pql.scoring.domain.PqlKind;
import pql.scoring.grpc.ScoreProtos;
import pql.scoring.wire.EnvelopeDecoder;
import pql.v1.AlertFilter;
import pql.v1.AlertFormat;
import pql.v1.AlertSubscriptionAdded;
import pql.v1.AlertSubscriptionRemoved;
import pql.v1.EventEnvelope;

/**
 * Subscriptions as AlertSubscriptionAdded / AlertSubscriptionRemoved envelopes in the
 * "pql-alert-subscriptions" stream (not an account stream: projections skip it), the way definitions
 * live in "pql-definitions": they survive restarts and replicate with the store.
 */
public final class StoreSubscriptionLog implements SubscriptionLog {

    public static final String STREAM = "pql-alert-subscriptions";
    private static final String ADDED = AlertSubscriptionAdded.getDescriptor().getFullName();
    private static final String REMOVED = AlertSubscriptionRemoved.getDescriptor().getFullName();
    private static final int PAGE = 500;

    private final EventStore store;

    public StoreSubscriptionLog(EventStore store) {
        this.store = store;
    }

    @Override
    public synchronized List<Subscription> current() {
        Map<String, Subscription> current = new LinkedHashMap<>();
        long from = 0;
        List<StoredEvent> page;
        do {
            page = store.readStream(STREAM, from, PAGE);
            for (StoredEvent event : page) {
                EventEnvelope envelope = event.envelope();
                try {
                    if (ADDED.equals(envelope.getType())) {
                        AlertSubscriptionAdded added = AlertSubscriptionAdded.parseFrom(envelope.getPayload());
                        current.put(added.getId(), new Subscription(added.getId(), added.getUrl(), formatOf(added.getFormat()),
                                filterOf(added.getFilter()), added.getSecret(),
                                EnvelopeDecoder.millis(envelope.getRecordedAt()), added.getAddedBy()));
                    } else if (REMOVED.equals(envelope.getType())) {
                        current.remove(AlertSubscriptionRemoved.parseFrom(envelope.getPayload()).getId());
                    }
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalStateException("corrupt alert subscription event at version " + event.streamVersion(), e);
                }
                from = event.streamVersion() + 1;
            }
        } while (page.size() == PAGE);
        return new ArrayList<>(current.values());
    }

    @Override
    public synchronized void add(Subscription subscription) {
        AlertSubscriptionAdded added = AlertSubscriptionAdded.newBuilder().setId(subscription.id())
                .setUrl(subscription.url()).setFormat(toProto(subscription.format()))
                .setFilter(toProto(subscription.filter())).setSecret(subscription.secret())
                .setAddedBy(subscription.createdBy()).build();
        append("alert-subscription-added-" + subscription.id(), ADDED, added.toByteString(), subscription.createdAt());
    }

    @Override
    public synchronized boolean remove(String id, String removedBy) {
        if (current().stream().noneMatch(s -> s.id().equals(id))) {
            return false;
        }
        append("alert-subscription-removed-" + id, REMOVED,
                AlertSubscriptionRemoved.newBuilder().setId(id).setRemovedBy(removedBy).build().toByteString(),
                System.currentTimeMillis());
        return true;
    }

    private void append(String eventId, String type, com.google.protobuf.ByteString payload, long at) {
        EventEnvelope envelope = EventEnvelope.newBuilder().setEventId(eventId).setType(type).setPayload(payload)
                .setOccurredAt(ScoreProtos.timestamp(at)).setRecordedAt(ScoreProtos.timestamp(at))
                .setSchemaRevision(EnvelopeDecoder.SCHEMA_REVISION).build();
        store.append(List.of(new AppendRequest(STREAM, ExpectedVersion.ANY, List.of(envelope))));
    }

    public static Subscription.Format formatOf(AlertFormat format) {
        return format == AlertFormat.ALERT_FORMAT_JSON ? Subscription.Format.JSON : Subscription.Format.SLACK;
    }

    public static AlertFormat toProto(Subscription.Format format) {
        return format == Subscription.Format.JSON ? AlertFormat.ALERT_FORMAT_JSON : AlertFormat.ALERT_FORMAT_SLACK;
    }

    /** Unknown enum values are left out (the API refuses them; a newer writer's ones are ignored). */
    public static Subscription.Filter filterOf(AlertFilter filter) {
        Set<OpportunitySize> sizes = EnumSet.noneOf(OpportunitySize.class);
        filter.getSizesList().forEach(size -> {
            switch (size) {
                case OPPORTUNITY_SIZE_SMALL -> sizes.add(OpportunitySize.SMALL);
                case OPPORTUNITY_SIZE_MID -> sizes.add(OpportunitySize.MID);
                case OPPORTUNITY_SIZE_LARGE -> sizes.add(OpportunitySize.LARGE);
                default -> { }
            }
        });
        Set<PqlKind> kinds = EnumSet.noneOf(PqlKind.class);
        filter.getKindsList().forEach(kind -> {
            String name = kind.name().replaceFirst("^PQL_KIND_", "");
            for (PqlKind known : PqlKind.values()) {
                if (known.name().equals(name)) {
                    kinds.add(known);
                }
            }
        });
        Set<Persona> personas = EnumSet.noneOf(Persona.class);
        filter.getPersonasList().forEach(persona -> {
            String name = persona.name().replaceFirst("^PERSONA_", "");
            for (Persona known : Persona.values()) {
                if (known.name().equals(name)) {
                    personas.add(known);
                }
            }
        });
        return new Subscription.Filter(filter.getOwner(), sizes, kinds, personas);
    }

    public static AlertFilter toProto(Subscription.Filter filter) {
        AlertFilter.Builder builder = AlertFilter.newBuilder().setOwner(filter.owner());
        filter.sizes().stream().sorted().forEach(size -> builder.addSizes(
                pql.v1.OpportunitySize.valueOf("OPPORTUNITY_SIZE_" + size.name())));
        filter.kinds().stream().sorted().forEach(kind -> builder.addKinds(pql.v1.PqlKind.valueOf("PQL_KIND_" + kind.name())));
        filter.personas().stream().sorted().forEach(persona -> builder.addPersonas(
                pql.v1.Persona.valueOf("PERSONA_" + persona.name())));
        return builder.build();
    }
}
