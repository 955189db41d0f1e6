package pql.scoring.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import pql.scoring.domain.Direction;
import pql.scoring.domain.Fit;
import pql.scoring.domain.OpportunitySize;
import pql.scoring.domain.OutcomeKind;
import pql.scoring.domain.Plan;
import pql.scoring.domain.Sentiment;
import pql.scoring.domain.event.AccountEvent;
import pql.v1.AccountProfiled;
import pql.v1.Communication;
import pql.v1.EventEnvelope;
import pql.v1.Outcome;
import pql.v1.PlanLimitReached;
import pql.v1.ProductAction;
import pql.v1.SalesAssistanceRequested;
import pql.v1.UserIdentified;

/**
 * Stored envelopes to the domain's account events. Only schema revision 1 exists; an envelope of a
 * type or revision scoring does not know decodes to null and is skipped (counted by the caller), so
 * one odd event never blocks a projection.
 */
public final class EnvelopeDecoder {

    public static final int SCHEMA_REVISION = 1;

    private static final String PRODUCT_ACTION = ProductAction.getDescriptor().getFullName();
    private static final String ACCOUNT_PROFILED = AccountProfiled.getDescriptor().getFullName();
    private static final String USER_IDENTIFIED = UserIdentified.getDescriptor().getFullName();
    private static final String COMMUNICATION = Communication.getDescriptor().getFullName();
    private static final String SALES_ASSISTANCE = SalesAssistanceRequested.getDescriptor().getFullName();
    private static final String PLAN_LIMIT = PlanLimitReached.getDescriptor().getFullName();
    private static final String OUTCOME = Outcome.getDescriptor().getFullName();

    private EnvelopeDecoder() {
    }

    public static long occurredAtMillis(EventEnvelope envelope) {
        return millis(envelope.getOccurredAt());
    }

    public static long millis(Timestamp timestamp) {
        return timestamp.getSeconds() * 1000 + timestamp.getNanos() / 1_000_000;
    }

    /**
     * The account event in {@code envelope}, or null when scoring does not read its type or revision.
     *
     * @throws InvalidProtocolBufferException when the payload does not parse as its type
     */
    public static AccountEvent decode(EventEnvelope envelope) throws InvalidProtocolBufferException {
        return decode(envelope.getType(), envelope.getSchemaRevision(), envelope.getPayload());
    }

    /**
     * {@link #decode(EventEnvelope)} from an envelope's type, schema revision and payload, read without
     * building the envelope (see {@link ProductActionReader#read(pql.eventstore.LogRecord)}).
     */
    public static AccountEvent decode(String type, int schemaRevision, ByteString payload)
            throws InvalidProtocolBufferException {
        if (schemaRevision > SCHEMA_REVISION) {
            return null;
        }
        if (PRODUCT_ACTION.equals(type)) {
            ProductAction action = ProductAction.parseFrom(payload);
            return new AccountEvent.ActionPerformed(action.getUserId(), action.getAction(),
                    action.hasQuantity() ? action.getQuantity() : 1.0);
        }
        if (ACCOUNT_PROFILED.equals(type)) {
            return profiled(AccountProfiled.parseFrom(payload));
        }
        if (USER_IDENTIFIED.equals(type)) {
            UserIdentified user = UserIdentified.parseFrom(payload);
            return new AccountEvent.UserIdentified(user.getUserId(), emptyToNull(user.getEmail()));
        }
        if (COMMUNICATION.equals(type)) {
            Communication communication = Communication.parseFrom(payload);
            return new AccountEvent.Communicated(emptyToNull(communication.getUserId()),
                    switch (communication.getDirection()) {
                        case DIRECTION_INBOUND -> Direction.INBOUND;
                        case DIRECTION_OUTBOUND -> Direction.OUTBOUND;
                        default -> null;
                    },
                    communication.getResponded(),
                    switch (communication.getSentiment()) {
                        case SENTIMENT_POSITIVE -> Sentiment.POSITIVE;
                        case SENTIMENT_NEUTRAL -> Sentiment.NEUTRAL;
                        case SENTIMENT_NEGATIVE -> Sentiment.NEGATIVE;
                        default -> null;
                    });
        }
        if (SALES_ASSISTANCE.equals(type)) {
            return new AccountEvent.SalesAssistanceRequested(
                    emptyToNull(SalesAssistanceRequested.parseFrom(payload).getUserId()));
        }
        if (PLAN_LIMIT.equals(type)) {
            PlanLimitReached limit = PlanLimitReached.parseFrom(payload);
            return new AccountEvent.PlanLimitReached(limit.getLimit(), emptyToNull(limit.getUserId()), limit.getUsage(),
                    limit.getLimitValue());
        }
        if (OUTCOME.equals(type)) {
            Outcome outcome = Outcome.parseFrom(payload);
            OutcomeKind kind = switch (outcome.getKind()) {
                case OUTCOME_KIND_CONVERTED -> OutcomeKind.CONVERTED;
                case OUTCOME_KIND_LOST -> OutcomeKind.LOST;
                case OUTCOME_KIND_CHURNED -> OutcomeKind.CHURNED;
                default -> null;
            };
            if (kind == null) {
                return null;
            }
            return new AccountEvent.OutcomeRecorded(kind, outcome.getAmount().getAmountMicros(),
                    outcome.getAmount().getCurrency(), outcome.getSalesTouched());
        }
        return null;
    }

    private static AccountEvent.Profiled profiled(AccountProfiled profile) {
        return new AccountEvent.Profiled(
                emptyToNull(profile.getName()),
                profile.hasDealSize() ? profile.getDealSize().getAmountMicros() : null,
                profile.hasDealSize() ? emptyToNull(profile.getDealSize().getCurrency()) : null,
                switch (profile.getOpportunitySize()) {
                    case OPPORTUNITY_SIZE_SMALL -> OpportunitySize.SMALL;
                    case OPPORTUNITY_SIZE_MID -> OpportunitySize.MID;
                    case OPPORTUNITY_SIZE_LARGE -> OpportunitySize.LARGE;
                    default -> null;
                },
                emptyToNull(profile.getOwner()),
                switch (profile.getPlan()) {
                    case PLAN_TRIAL -> Plan.TRIAL;
                    case PLAN_FREEMIUM -> Plan.FREEMIUM;
                    case PLAN_PAID -> Plan.PAID;
                    default -> null;
                },
                profile.hasTrialStart() ? millis(profile.getTrialStart()) : null,
                profile.hasTrialEnd() ? millis(profile.getTrialEnd()) : null,
                switch (profile.getFit()) {
                    case FIT_GOOD -> Fit.GOOD;
                    case FIT_POOR -> Fit.POOR;
                    default -> null;
                });
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
