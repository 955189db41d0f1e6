package pql.scoring.grpc;

import com.google.protobuf.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import pql.common.api.EnumNames;
import pql.common.grpc.ReadInstants;
import pql.scoring.app.AccountFilter;
import pql.scoring.app.AccountOrder;
import pql.scoring.domain.CommunicationLevel;
import pql.scoring.domain.LeadStatus;
import pql.scoring.domain.Level;
import pql.scoring.domain.OpportunitySize;
import pql.scoring.domain.Persona;
import pql.scoring.domain.Plan;
import pql.scoring.domain.PqlKind;
import pql.scoring.domain.definition.Violation;
import pql.v1.AccountScoreFilter;
import pql.v1.ScoreView;

/** Checks of request fields, collected so that a caller sees every problem at once. */
final class Requests {

    static final Pattern ACCOUNT_ID = Pattern.compile("[A-Za-z0-9._:@/-]{1,128}");
    /** Timestamp range of google.protobuf.Timestamp: 0001-01-01 to 9999-12-31. */
    private static final long MIN_SECONDS = -62_135_596_800L;
    private static final long MAX_SECONDS = 253_402_300_799L;

    private final List<Violation> violations = new ArrayList<>();

    void require(boolean ok, String field, String message) {
        if (!ok) {
            violations.add(new Violation(field, message));
        }
    }

    void accountId(String field, String value, boolean required) {
        if (value.isEmpty()) {
            require(!required, field, "required");
            return;
        }
        require(ACCOUNT_ID.matcher(value).matches(), field, "must be 1..128 characters of [A-Za-z0-9._:@/-]");
    }

    void version(String field, int version) {
        require(version >= 0, field, "must be >= 0 (0 = the active version), got " + version);
    }

    /** The instant in epoch ms, or null when not set. */
    Long instant(String field, boolean present, Timestamp timestamp) {
        if (!present) {
            return null;
        }
        boolean valid = timestamp.getSeconds() >= MIN_SECONDS && timestamp.getSeconds() <= MAX_SECONDS
                && timestamp.getNanos() >= 0 && timestamp.getNanos() <= 999_999_999;
        require(valid, field, "not a valid timestamp");
        return valid ? timestamp.getSeconds() * 1000 + timestamp.getNanos() / 1_000_000 : null;
    }

    /**
     * An instant a read may be asked about ({@code as_of}, {@code known_at}): as {@link #instant}, and not
     * later than the server's clock plus {@link ReadInstants#CLOCK_SKEW}.
     */
    Long pastInstant(String field, boolean present, Timestamp timestamp, Clock clock) {
        Long millis = instant(field, present, timestamp);
        if (millis != null) {
            String problem = ReadInstants.futureProblem(millis, clock);
            require(problem == null, field, problem);
        }
        return millis;
    }

    int pageSize(String field, int given, int defaultSize, int max) {
        if (given == 0) {
            return defaultSize;
        }
        require(given > 0 && given <= max, field, "must be 1.." + max + " (0 = " + defaultSize + "), got " + given);
        return Math.max(1, Math.min(given, max));
    }

    boolean fullView(String field, ScoreView view) {
        require(view != ScoreView.UNRECOGNIZED, field, "unknown view");
        return view != ScoreView.SCORE_VIEW_BASIC;
    }

    AccountOrder order(String field, pql.v1.AccountOrder order) {
        return switch (order) {
            case ACCOUNT_ORDER_UNSPECIFIED, ACCOUNT_ORDER_ENGAGEMENT_DESC -> AccountOrder.ENGAGEMENT_DESC;
            case ACCOUNT_ORDER_ACTIVATION_DESC -> AccountOrder.ACTIVATION_DESC;
            case ACCOUNT_ORDER_QUALIFIED_AT_DESC -> AccountOrder.QUALIFIED_AT_DESC;
            case ACCOUNT_ORDER_ACCOUNT_ID -> AccountOrder.ACCOUNT_ID;
            case ACCOUNT_ORDER_EXPECTED_VALUE_DESC -> AccountOrder.EXPECTED_VALUE_DESC;
            case ACCOUNT_ORDER_LAST_ACTIVITY_DESC -> AccountOrder.LAST_ACTIVITY_DESC;
            case UNRECOGNIZED -> {
                require(false, field, "unknown order");
                yield AccountOrder.ENGAGEMENT_DESC;
            }
        };
    }

    AccountFilter filter(String field, AccountScoreFilter filter) {
        Set<PqlKind> kinds = enums(field + ".kinds", filter.getKindsList(), "PQL_KIND_", PqlKind.class,
                pql.v1.PqlKind.getDescriptor());
        Set<OpportunitySize> sizes = enums(field + ".opportunity_sizes", filter.getOpportunitySizesList(),
                "OPPORTUNITY_SIZE_", OpportunitySize.class, pql.v1.OpportunitySize.getDescriptor());
        Set<Plan> plans = enums(field + ".plans", filter.getPlansList(), "PLAN_", Plan.class,
                pql.v1.Plan.getDescriptor());
        Set<Level> activation = enums(field + ".activation_levels", filter.getActivationLevelsList(), "LEVEL_",
                Level.class, pql.v1.Level.getDescriptor());
        Set<Level> engagement = enums(field + ".engagement_levels", filter.getEngagementLevelsList(), "LEVEL_",
                Level.class, pql.v1.Level.getDescriptor());
        Set<CommunicationLevel> communication = enums(field + ".communication_levels",
                filter.getCommunicationLevelsList(), "COMMUNICATION_LEVEL_", CommunicationLevel.class,
                pql.v1.CommunicationLevel.getDescriptor());
        Set<String> owners = new HashSet<>();
        for (int i = 0; i < filter.getOwnersCount(); i++) {
            String owner = filter.getOwners(i);
            require(!owner.isEmpty() && owner.length() <= 200, field + ".owners[" + i + "]", "must be 1..200 characters");
            owners.add(owner);
        }
        Set<Persona> personas = enums(field + ".personas", filter.getPersonasList(), "PERSONA_", Persona.class,
                pql.v1.Persona.getDescriptor());
        Set<LeadStatus> statuses = enums(field + ".statuses", filter.getStatusesList(), "LEAD_STATUS_",
                LeadStatus.class, pql.v1.LeadStatus.getDescriptor());
        return new AccountFilter(filter.getPqlOnly(), kinds, sizes, owners, plans, activation, engagement,
                communication, filter.getOpenOnly(), personas, statuses);
    }

    private <P extends com.google.protobuf.ProtocolMessageEnum, E extends Enum<E>> Set<E> enums(String field,
            List<P> values, String prefix, Class<E> type, com.google.protobuf.Descriptors.EnumDescriptor descriptor) {
        Set<E> found = EnumSet.noneOf(type);
        for (int i = 0; i < values.size(); i++) {
            E value = Enums.fromProto(values.get(i), prefix, type);
            if (value == null) {
                // an unknown number arrives as UNRECOGNIZED, which has no number or descriptor to quote
                boolean unspecified = values.get(i) instanceof Enum<?> constant && !constant.name().equals("UNRECOGNIZED");
                require(false, field + "[" + i + "]", (unspecified ? "unspecified" : "unknown value") + "; one of "
                        + String.join(", ", EnumNames.shortNames(descriptor)));
            } else {
                found.add(value);
            }
        }
        return found;
    }

    List<Violation> violations() {
        return violations;
    }

    void throwIfAny() {
        if (!violations.isEmpty()) {
            throw ScoringStatuses.invalidArgument(violations, "");
        }
    }
}
