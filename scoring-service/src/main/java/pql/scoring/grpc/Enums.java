package pql.scoring.grpc;

import pql.scoring.domain.CommunicationLevel;
import pql.scoring.domain.Fit;
import pql.scoring.domain.Level;
import pql.scoring.domain.OpportunitySize;
import pql.scoring.domain.OutcomeKind;
import pql.scoring.domain.Plan;
import pql.scoring.domain.PqlKind;
import pql.scoring.domain.TransitionKind;

/**
 * Domain enums to and from their proto twins. The proto names are the domain names behind the
 * enum's prefix (LEVEL_HIGH and HIGH); UNSPECIFIED and unknown numbers map to null.
 */
public final class Enums {

    private Enums() {
    }

    public static pql.v1.Level toProto(Level level) {
        return pql.v1.Level.valueOf("LEVEL_" + level.name());
    }

    public static pql.v1.CommunicationLevel toProto(CommunicationLevel level) {
        return pql.v1.CommunicationLevel.valueOf("COMMUNICATION_LEVEL_" + level.name());
    }

    public static pql.v1.OpportunitySize toProto(OpportunitySize size) {
        return pql.v1.OpportunitySize.valueOf("OPPORTUNITY_SIZE_" + size.name());
    }

    public static pql.v1.Plan toProto(Plan plan) {
        return pql.v1.Plan.valueOf("PLAN_" + plan.name());
    }

    public static pql.v1.Fit toProto(Fit fit) {
        return pql.v1.Fit.valueOf("FIT_" + fit.name());
    }

    public static pql.v1.PqlKind toProto(PqlKind kind) {
        return pql.v1.PqlKind.valueOf("PQL_KIND_" + kind.name());
    }

    public static pql.v1.OutcomeKind toProto(OutcomeKind kind) {
        return pql.v1.OutcomeKind.valueOf("OUTCOME_KIND_" + kind.name());
    }

    public static pql.v1.TransitionKind toProto(TransitionKind kind) {
        return pql.v1.TransitionKind.valueOf("TRANSITION_KIND_" + kind.name());
    }

    public static pql.v1.Persona toProto(pql.scoring.domain.Persona persona) {
        return pql.v1.Persona.valueOf("PERSONA_" + persona.name());
    }

    public static pql.v1.LeadStatus toProto(pql.scoring.domain.LeadStatus status) {
        return pql.v1.LeadStatus.valueOf("LEAD_STATUS_" + status.name());
    }

    /** The domain constant of a proto enum value; null for UNSPECIFIED or an unknown number. */
    public static <E extends Enum<E>> E fromProto(com.google.protobuf.ProtocolMessageEnum value, String prefix,
            Class<E> domain) {
        if (!(value instanceof Enum<?> constant) || constant.name().equals("UNRECOGNIZED")
                || value.getNumber() == 0) {
            return null;
        }
        return Enum.valueOf(domain, constant.name().substring(prefix.length()));
    }
}
