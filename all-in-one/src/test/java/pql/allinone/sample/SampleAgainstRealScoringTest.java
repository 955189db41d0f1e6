package pql.allinone.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Message;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.allinone.AllInOneConfig;
import pql.allinone.SuiteModules;
import pql.common.ServiceModule;
import pql.common.telemetry.Telemetry;
import pql.eventstore.AppendRequest;
import pql.eventstore.EventStore;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.StreamIds;
import pql.eventstore.embedded.EmbeddedStoreOptions;
import pql.eventstore.embedded.RocksDbEventStore;
import pql.v1.*;

/**
 * The sample is designed for scoring's INTERMEDIATE preset: scored by the real scoring-service,
 * every generated trial gets the activation, engagement and communication levels of the persona
 * it was made for, and every PQL kind and opportunity size occurs. The events are written to the
 * store as ingest would store them (this checks the data, not the ingest path).
 */
class SampleAgainstRealScoringTest {

    private static final int ACCOUNTS = 400;

    @TempDir
    Path directory;

    @Test
    void everyTrialScoresAsThePersonaItWasMadeFor() throws Exception {
        assumeTrue(classExists("pql.scoring.ScoringModule"), "scoring-service is not built");
        List<Event> events = SampleDataGenerator.generate(ACCOUNTS, 42, Instant.now());
        Map<String, Archetype> archetypeOf = new HashMap<>();
        Map<String, Long> eventsPerAccount = new HashMap<>();
        try (EventStore store = RocksDbEventStore.open(new EmbeddedStoreOptions(directory.resolve("events"), 20_000, 200_000))) {
            List<AppendRequest> batch = new ArrayList<>();
            for (Event event : events) {
                if (event.hasAccountProfiled() && event.getAccountProfiled().containsTraits("sample_persona")) {
                    archetypeOf.put(event.getAccountId(),
                            Archetype.valueOf(event.getAccountProfiled().getTraitsOrThrow("sample_persona").toUpperCase()));
                }
                eventsPerAccount.merge(event.getAccountId(), 1L, Long::sum);
                batch.add(new AppendRequest(StreamIds.forAccount(event.getAccountId()), ExpectedVersion.ANY, List.of(envelope(event))));
                if (batch.size() == 2000) {
                    store.append(batch);
                    batch.clear();
                }
            }
            store.append(batch);

            ObjectNode settings = new ObjectMapper().createObjectNode().put("dataDirectory", directory.resolve("scoring").toString());
            ServiceModule scoring = new SuiteModules().scoring(new AllInOneConfig(), new pql.allinone.SuiteFactory.SettingsBinder() {
                @Override
                public <T> T bind(JsonNode section, Class<T> type, String name) {
                    try {
                        return new ObjectMapper().findAndRegisterModules().treeToValue(settings, type);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, store, Telemetry.noop(), Clock.systemUTC());
            String name = "sample-scoring-" + UUID.randomUUID();
            scoring.start();
            InProcessServerBuilder builder = InProcessServerBuilder.forName(name);
            scoring.services().forEach(builder::addService);
            Server server = builder.build().start();
            ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
            try {
                var stub = ScoringServiceGrpc.newBlockingStub(channel);
                long giveUp = System.nanoTime() + 120_000_000_000L;
                while (!caughtUp(stub, eventsPerAccount)) {
                    assertThat(System.nanoTime()).as("scoring caught up in time").isLessThan(giveUp);
                    Thread.sleep(200);
                }
                Set<PqlKind> kinds = EnumSet.noneOf(PqlKind.class);
                Set<OpportunitySize> sizes = EnumSet.noneOf(OpportunitySize.class);
                List<String> mismatches = new ArrayList<>();
                Iterator<StreamAccountScoresResponse> chunks = stub.streamAccountScores(StreamAccountScoresRequest.newBuilder()
                        .setView(ScoreView.SCORE_VIEW_BASIC).build());
                while (chunks.hasNext()) {
                    for (AccountScore score : chunks.next().getScoresList()) {
                        kinds.addAll(score.getPql().getKindsList());
                        sizes.add(score.getProfile().getOpportunitySize());
                        Archetype archetype = archetypeOf.get(score.getAccountId());
                        String wanted = activation(archetype) + "/" + archetype.engagement + "/" + (archetype.communicative ? "ACTIVE" : "LOW");
                        String got = score.hasOutcome()
                                ? levels(score.getOutcome().getActivationLevel(), score.getOutcome().getEngagementLevel(),
                                        score.getOutcome().getCommunicationLevel())
                                : levels(score.getActivation().getLevel(), score.getEngagement().getLevel(), score.getCommunication().getLevel());
                        if (!wanted.equals(got)) {
                            mismatches.add(score.getAccountId() + " " + archetype + ": wanted " + wanted + ", got " + got);
                        }
                    }
                }
                assertThat(mismatches).isEmpty();
                assertThat(kinds).containsExactlyInAnyOrder(PqlKind.PQL_KIND_CRITERIA_MET, PqlKind.PQL_KIND_HAND_RAISER,
                        PqlKind.PQL_KIND_LIMIT_REACHED, PqlKind.PQL_KIND_TOUCHLESS_PURCHASE);
                assertThat(sizes).containsExactlyInAnyOrder(OpportunitySize.OPPORTUNITY_SIZE_SMALL, OpportunitySize.OPPORTUNITY_SIZE_MID,
                        OpportunitySize.OPPORTUNITY_SIZE_LARGE);
            } finally {
                channel.shutdownNow();
                server.shutdownNow().awaitTermination();
                scoring.close();
            }
        }
    }

    /** Every account has had every one of its events applied. */
    private static boolean caughtUp(ScoringServiceGrpc.ScoringServiceBlockingStub stub, Map<String, Long> eventsPerAccount) {
        for (Map.Entry<String, Long> account : eventsPerAccount.entrySet()) {
            try {
                if (stub.getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId(account.getKey()).build()).getEventsApplied()
                        < account.getValue()) {
                    return false;
                }
            } catch (io.grpc.StatusRuntimeException notYet) {
                return false;
            }
        }
        return true;
    }

    private static String activation(Archetype archetype) {
        return archetype.minSteps >= 5 ? "HIGH" : archetype.minSteps >= 3 ? "MEDIUM" : "LOW";
    }

    private static String levels(Level activation, Level engagement, CommunicationLevel communication) {
        return activation.name().replace("LEVEL_", "") + "/" + engagement.name().replace("LEVEL_", "") + "/"
                + communication.name().replace("COMMUNICATION_LEVEL_", "");
    }

    /** The envelope ingest-service stores for an event (type = payload's full name, schema revision 1). */
    private static EventEnvelope envelope(Event event) {
        Message payload = switch (event.getKindCase()) {
            case ACCOUNT_PROFILED -> event.getAccountProfiled();
            case USER_IDENTIFIED -> event.getUserIdentified();
            case PRODUCT_ACTION -> event.getProductAction();
            case COMMUNICATION -> event.getCommunication();
            case SALES_ASSISTANCE_REQUESTED -> event.getSalesAssistanceRequested();
            case PLAN_LIMIT_REACHED -> event.getPlanLimitReached();
            case OUTCOME -> event.getOutcome();
            case EXCHANGE_RATE -> event.getExchangeRate();
            case KIND_NOT_SET -> throw new IllegalArgumentException("no kind");
        };
        return EventEnvelope.newBuilder().setEventId(event.getEventId()).setType(payload.getDescriptorForType().getFullName())
                .setAccountId(event.getAccountId()).setOccurredAt(event.getOccurredAt()).setRecordedAt(event.getOccurredAt())
                .setPayload(payload.toByteString()).setSchemaRevision(1).build();
    }

    private static boolean classExists(String name) {
        try {
            Class.forName(name, false, SampleAgainstRealScoringTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
