package pql.scoring.alerts;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import pql.eventstore.EventStore;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamIds;
import pql.scoring.app.ScoreQueries;
import pql.scoring.domain.CommunicationLevel;
import pql.scoring.domain.Fit;
import pql.scoring.domain.Level;
import pql.scoring.domain.OpportunitySize;
import pql.scoring.domain.Persona;
import pql.scoring.domain.PersonaRule;
import pql.scoring.domain.PqlKind;
import pql.scoring.domain.definition.ScoringDefinition;
import pql.scoring.grpc.Enums;
import pql.scoring.grpc.ScoreProtos;
import pql.v1.AccountScore;
import pql.v1.PlanLimitReached;
import pql.v1.SalesAssistanceRequested;

/**
 * An alert's details from the serving projection (the account's score now: deal size, opportunity
 * size, fit, checklist, percentile) and from the account's own stream, newest first (the hand-raiser's
 * note and the limit reached, at or before the transition's event; the projection keeps neither text).
 */
public final class ScoringAccountLookup implements AccountDetails.Lookup {

    /** Events read back from the transition's position for the note or limit, at most. */
    private static final int SCAN_LIMIT = 5_000;
    private static final int PAGE = 500;
    private static final String SALES_ASSISTANCE = SalesAssistanceRequested.getDescriptor().getFullName();
    private static final String PLAN_LIMIT = PlanLimitReached.getDescriptor().getFullName();

    private final ScoreQueries queries;
    private final EventStore store;
    private final IntFunction<ScoringDefinition> definitions;

    public ScoringAccountLookup(ScoreQueries queries, EventStore store, IntFunction<ScoringDefinition> definitions) {
        this.queries = queries;
        this.store = store;
        this.definitions = definitions;
    }

    @Override
    public AccountDetails of(String accountId, int definitionVersion, long upToPosition) {
        AccountScore score = ScoreProtos.toProto(queries.accountScore(accountId, null, 0, true));
        var profile = score.getProfile();
        Level activation = Enums.fromProto(score.getActivation().getLevel(), "LEVEL_", Level.class);
        Level engagement = Enums.fromProto(score.getEngagement().getLevel(), "LEVEL_", Level.class);
        CommunicationLevel communication = Enums.fromProto(score.getCommunication().getLevel(), "COMMUNICATION_LEVEL_",
                CommunicationLevel.class);
        Persona persona = PersonaRule.of(activation, engagement, communication,
                Enums.fromProto(profile.getFit(), "FIT_", Fit.class));
        double odds = Double.NaN;
        if (persona != null) {
            ScoringDefinition definition = definitions.apply(definitionVersion);
            odds = PersonaRule.oddsOf(persona, definition == null ? null : definition.personaOdds());
        }
        List<PqlKind> kinds = new ArrayList<>();
        score.getPql().getKindsList().forEach(k -> {
            PqlKind kind = Enums.fromProto(k, "PQL_KIND_", PqlKind.class);
            if (kind != null) {
                kinds.add(kind);
            }
        });
        int steps = score.getActivation().getStepsCount();
        int done = (int) score.getActivation().getStepsList().stream().filter(s -> s.getDone()).count();
        String[] note = {null, null};
        Object[] limit = {null, Double.NaN, Double.NaN};
        scanStream(accountId, upToPosition, note, limit);
        return new AccountDetails(blankToNull(profile.getName()), blankToNull(profile.getOwner()),
                Enums.fromProto(profile.getOpportunitySize(), "OPPORTUNITY_SIZE_", OpportunitySize.class),
                profile.hasDealSize() ? profile.getDealSize().getAmountMicros() : null,
                profile.hasDealSize() ? profile.getDealSize().getCurrency() : null, persona, odds, kinds,
                score.getActivation().getRate(), done, steps, score.getEngagement().getPercentile(), note[0], note[1],
                (String) limit[0], (double) limit[1], (double) limit[2]);
    }

    /** The newest note and limit at or before {@code upToPosition}, reading the stream backwards by pages. */
    private void scanStream(String accountId, long upToPosition, String[] note, Object[] limit) {
        String stream = StreamIds.forAccount(accountId);
        long last = store.streamVersion(stream);
        int scanned = 0;
        for (long to = last; to >= 0 && scanned < SCAN_LIMIT && (note[0] == null || limit[0] == null); to -= PAGE) {
            long from = Math.max(0, to - PAGE + 1);
            List<StoredEvent> page = store.readStream(stream, from, (int) (to - from + 1));
            for (int i = page.size() - 1; i >= 0; i--) {
                StoredEvent event = page.get(i);
                scanned++;
                if (event.globalPosition() > upToPosition) {
                    continue;
                }
                try {
                    String type = event.envelope().getType();
                    if (note[0] == null && SALES_ASSISTANCE.equals(type)) {
                        SalesAssistanceRequested request = SalesAssistanceRequested.parseFrom(event.envelope().getPayload());
                        note[0] = request.getNote();
                        note[1] = blankToNull(request.getUserId());
                    } else if (limit[0] == null && PLAN_LIMIT.equals(type)) {
                        PlanLimitReached reached = PlanLimitReached.parseFrom(event.envelope().getPayload());
                        limit[0] = reached.getLimit();
                        limit[1] = reached.getUsage();
                        limit[2] = reached.getLimitValue();
                    }
                } catch (InvalidProtocolBufferException e) {
                    // a payload scoring cannot read says nothing to a rep
                }
            }
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
