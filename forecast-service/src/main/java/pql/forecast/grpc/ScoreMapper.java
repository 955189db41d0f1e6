package pql.forecast.grpc;

import com.google.protobuf.Timestamp;
import java.util.ArrayList;
import java.util.List;
import pql.forecast.domain.AccountSnapshot;
import pql.forecast.domain.CloseMonth;
import pql.forecast.domain.ClosedOutcome;
import pql.forecast.domain.CommunicationLevel;
import pql.forecast.domain.Fit;
import pql.forecast.domain.Level;
import pql.forecast.domain.LevelEvidence;
import pql.forecast.domain.Levels;
import pql.forecast.domain.OpportunitySize;
import pql.forecast.domain.OutcomeKind;
import pql.forecast.domain.Persona;
import pql.forecast.domain.PersonaMatch;
import pql.forecast.domain.Plan;
import pql.v1.AccountProfile;
import pql.v1.AccountScore;

/**
 * scoring-service's AccountScore to the forecast's AccountSnapshot, and the enums both ways.
 *
 * <p>A level scoring left unspecified reads as LOW (an account with nothing to show for it); scoring
 * sets every level, so this only guards against partial data.
 *
 * <p>The persona is scoring's ({@code lead.persona} with its distance and ties; the outcome's persona
 * before close): forecast-service does not apply seed 004's table itself. Without one (a level
 * unknown, so scoring named none) the account reads as Heartbreaker, approximate: the lowest-odds
 * row, so partial data never inflates the forecast.
 */
public final class ScoreMapper {

    private ScoreMapper() {
    }

    public static AccountSnapshot toSnapshot(AccountScore score) {
        AccountProfile profile = score.getProfile();
        Levels levels = Levels.of(level(score.getActivation().getLevel()), level(score.getEngagement().getLevel()),
                communication(score.getCommunication().getLevel()));
        LevelEvidence evidence = new LevelEvidence(score.getActivation().getRate(), score.getEngagement().getScore(),
                score.getEngagement().getPercentile(), score.getCommunication().getInbound(),
                score.getCommunication().getResponses());
        boolean hasDeal = profile.hasDealSize();
        return new AccountSnapshot(
                score.getAccountId(),
                profile.getName(),
                profile.getOwner(),
                opportunitySize(profile.getOpportunitySize()),
                plan(profile.getPlan()),
                fit(profile.getFit()),
                hasDeal,
                hasDeal ? profile.getDealSize().getAmountMicros() : 0,
                hasDeal ? profile.getDealSize().getCurrency() : "",
                CloseMonth.of(profile.hasTrialEnd() ? millis(profile.getTrialEnd()) : null),
                profile.hasTrialEnd() ? millis(profile.getTrialEnd()) : null,
                levels,
                persona(score.getLead().getPersona(), score.getLead().getPersonaApproximate(),
                        score.getLead().getPersonaDistance(), score.getLead().getPersonaTiesList(), levels,
                        fit(profile.getFit())),
                evidence,
                outcome(score, fit(profile.getFit())),
                score.getDefinitionVersion(),
                score.getLogPosition());
    }

    private static PersonaMatch persona(pql.v1.Persona reported, boolean approximate, int distance,
            List<pql.v1.Persona> reportedTies, Levels levels, Fit fit) {
        Persona persona = persona(reported);
        if (persona == null) {
            return new PersonaMatch(Persona.HEARTBREAKER, PersonaMatch.Kind.NEAREST, levels, fit, distance, List.of());
        }
        List<Persona> ties = new ArrayList<>();
        for (pql.v1.Persona tie : reportedTies) {
            Persona known = persona(tie);
            if (known != null) {
                ties.add(known);
            }
        }
        return PersonaMatch.reported(persona, approximate, distance, ties, levels, fit);
    }

    private static ClosedOutcome outcome(AccountScore score, Fit fit) {
        if (!score.hasOutcome()) {
            return null;
        }
        pql.v1.ClosedOutcome outcome = score.getOutcome();
        OutcomeKind kind = switch (outcome.getKind()) {
            case OUTCOME_KIND_CONVERTED -> OutcomeKind.CONVERTED;
            case OUTCOME_KIND_LOST -> OutcomeKind.LOST;
            case OUTCOME_KIND_CHURNED -> OutcomeKind.CHURNED;
            default -> null;
        };
        if (kind == null) {
            return null;
        }
        boolean levelsKnown = outcome.getActivationLevel() != pql.v1.Level.LEVEL_UNSPECIFIED
                && outcome.getEngagementLevel() != pql.v1.Level.LEVEL_UNSPECIFIED
                && outcome.getCommunicationLevel() != pql.v1.CommunicationLevel.COMMUNICATION_LEVEL_UNSPECIFIED;
        Levels before = levelsKnown ? Levels.of(level(outcome.getActivationLevel()), level(outcome.getEngagementLevel()),
                communication(outcome.getCommunicationLevel())) : null;
        PersonaMatch persona = before == null || outcome.getPersona() == pql.v1.Persona.PERSONA_UNSPECIFIED ? null
                : persona(outcome.getPersona(), outcome.getPersonaApproximate(), outcome.getPersonaDistance(),
                        outcome.getPersonaTiesList(), before, fit);
        return new ClosedOutcome(kind, millis(outcome.getAt()), before, persona, outcome.getAmount().getAmountMicros(),
                outcome.getAmount().getCurrency());
    }

    static long millis(Timestamp timestamp) {
        return timestamp.getSeconds() * 1000 + timestamp.getNanos() / 1_000_000;
    }

    static Level level(pql.v1.Level level) {
        return switch (level) {
            case LEVEL_HIGH -> Level.HIGH;
            case LEVEL_MEDIUM -> Level.MEDIUM;
            default -> Level.LOW;
        };
    }

    static CommunicationLevel communication(pql.v1.CommunicationLevel level) {
        return level == pql.v1.CommunicationLevel.COMMUNICATION_LEVEL_ACTIVE ? CommunicationLevel.ACTIVE : CommunicationLevel.LOW;
    }

    static Fit fit(pql.v1.Fit fit) {
        return switch (fit) {
            case FIT_GOOD -> Fit.GOOD;
            case FIT_POOR -> Fit.POOR;
            default -> Fit.UNKNOWN;
        };
    }

    static Plan plan(pql.v1.Plan plan) {
        return switch (plan) {
            case PLAN_TRIAL -> Plan.TRIAL;
            case PLAN_FREEMIUM -> Plan.FREEMIUM;
            case PLAN_PAID -> Plan.PAID;
            default -> Plan.UNSPECIFIED;
        };
    }

    static OpportunitySize opportunitySize(pql.v1.OpportunitySize size) {
        return switch (size) {
            case OPPORTUNITY_SIZE_SMALL -> OpportunitySize.SMALL;
            case OPPORTUNITY_SIZE_MID -> OpportunitySize.MID;
            case OPPORTUNITY_SIZE_LARGE -> OpportunitySize.LARGE;
            default -> OpportunitySize.UNSPECIFIED;
        };
    }

    /** null for UNSPECIFIED or a number this build does not know. */
    static Persona persona(pql.v1.Persona persona) {
        return switch (persona) {
            case PERSONA_GOLDEN_LEAD -> Persona.GOLDEN_LEAD;
            case PERSONA_SILENT_SUCCESS -> Persona.SILENT_SUCCESS;
            case PERSONA_CONTRARY_CONVERTER -> Persona.CONTRARY_CONVERTER;
            case PERSONA_POSITIVE_PROCRASTINATOR -> Persona.POSITIVE_PROCRASTINATOR;
            case PERSONA_FIZZLER -> Persona.FIZZLER;
            case PERSONA_INCOMPATIBLE_IGNORAMUS -> Persona.INCOMPATIBLE_IGNORAMUS;
            case PERSONA_HEARTBREAKER -> Persona.HEARTBREAKER;
            default -> null;
        };
    }

    static pql.v1.Persona toProto(Persona persona) {
        if (persona == null) {
            return pql.v1.Persona.PERSONA_UNSPECIFIED;
        }
        return switch (persona) {
            case GOLDEN_LEAD -> pql.v1.Persona.PERSONA_GOLDEN_LEAD;
            case SILENT_SUCCESS -> pql.v1.Persona.PERSONA_SILENT_SUCCESS;
            case CONTRARY_CONVERTER -> pql.v1.Persona.PERSONA_CONTRARY_CONVERTER;
            case POSITIVE_PROCRASTINATOR -> pql.v1.Persona.PERSONA_POSITIVE_PROCRASTINATOR;
            case FIZZLER -> pql.v1.Persona.PERSONA_FIZZLER;
            case INCOMPATIBLE_IGNORAMUS -> pql.v1.Persona.PERSONA_INCOMPATIBLE_IGNORAMUS;
            case HEARTBREAKER -> pql.v1.Persona.PERSONA_HEARTBREAKER;
        };
    }

    static pql.v1.OpportunitySize toProto(OpportunitySize size) {
        return switch (size) {
            case SMALL -> pql.v1.OpportunitySize.OPPORTUNITY_SIZE_SMALL;
            case MID -> pql.v1.OpportunitySize.OPPORTUNITY_SIZE_MID;
            case LARGE -> pql.v1.OpportunitySize.OPPORTUNITY_SIZE_LARGE;
            case UNSPECIFIED -> pql.v1.OpportunitySize.OPPORTUNITY_SIZE_UNSPECIFIED;
        };
    }

    static pql.v1.Level toProto(Level level) {
        return switch (level) {
            case LOW -> pql.v1.Level.LEVEL_LOW;
            case MEDIUM -> pql.v1.Level.LEVEL_MEDIUM;
            case HIGH -> pql.v1.Level.LEVEL_HIGH;
        };
    }

    static pql.v1.CommunicationLevel toProto(CommunicationLevel level) {
        return level == CommunicationLevel.ACTIVE ? pql.v1.CommunicationLevel.COMMUNICATION_LEVEL_ACTIVE
                : pql.v1.CommunicationLevel.COMMUNICATION_LEVEL_LOW;
    }

    static pql.v1.Fit toProto(Fit fit) {
        return switch (fit) {
            case GOOD -> pql.v1.Fit.FIT_GOOD;
            case POOR -> pql.v1.Fit.FIT_POOR;
            case UNKNOWN -> pql.v1.Fit.FIT_UNSPECIFIED;
        };
    }
}
