package pql.scoring.app;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import pql.scoring.domain.CommunicationLevel;
import pql.scoring.domain.LeadStatus;
import pql.scoring.domain.Level;
import pql.scoring.domain.OpportunitySize;
import pql.scoring.domain.Persona;
import pql.scoring.domain.Plan;
import pql.scoring.domain.PqlKind;
import pql.scoring.domain.score.AccountScore;
import pql.scoring.domain.score.AccountSummary;

/**
 * Which accounts a list or export wants; an empty set means "any". Kinds match when any is present.
 * Owners match case-insensitively (a rep types "ana" for "Ana"). Persona and status are the account's
 * at the evaluation instant ({@link AccountSummary#persona()}, {@link AccountSummary#status()}).
 */
public record AccountFilter(boolean pqlOnly, Set<PqlKind> kinds, Set<OpportunitySize> opportunitySizes,
        Set<String> owners, Set<Plan> plans, Set<Level> activationLevels, Set<Level> engagementLevels,
        Set<CommunicationLevel> communicationLevels, boolean openOnly, Set<Persona> personas,
        Set<LeadStatus> statuses) {

    public static final AccountFilter ALL = new AccountFilter(false, Set.of(), Set.of(), Set.of(), Set.of(), Set.of(),
            Set.of(), Set.of(), false);

    public AccountFilter {
        owners = owners.stream().map(AccountFilter::ownerKey).collect(Collectors.toUnmodifiableSet());
    }

    /** Without persona or status filters. */
    public AccountFilter(boolean pqlOnly, Set<PqlKind> kinds, Set<OpportunitySize> opportunitySizes,
            Set<String> owners, Set<Plan> plans, Set<Level> activationLevels, Set<Level> engagementLevels,
            Set<CommunicationLevel> communicationLevels, boolean openOnly) {
        this(pqlOnly, kinds, opportunitySizes, owners, plans, activationLevels, engagementLevels, communicationLevels,
                openOnly, Set.of(), Set.of());
    }

    public boolean matches(AccountSummary account) {
        return matches(account.isPql(), account.kindsMask(), account.opportunitySize(), account.owner(),
                account.plan(), account.activationLevel(), account.engagementLevel(), account.communicationLevel(),
                account.isOpen(), account.persona(), account.status());
    }

    public boolean matches(AccountScore score) {
        int mask = 0;
        for (PqlKind kind : score.pql().kinds()) {
            mask |= kind.bit();
        }
        return matches(score.pql().isPql(), mask, score.profile().opportunitySize(), score.profile().owner(),
                score.profile().plan(), score.activation().level(), score.engagement().level(),
                score.communication().level(), score.outcome() == null, score.lead().persona(),
                score.lead().status());
    }

    private boolean matches(boolean isPql, int kindsMask, OpportunitySize size, String owner, Plan plan,
            Level activation, Level engagement, CommunicationLevel communication, boolean open, Persona persona,
            LeadStatus status) {
        if (pqlOnly && !isPql) {
            return false;
        }
        if (!kinds.isEmpty() && kinds.stream().noneMatch(kind -> (kindsMask & kind.bit()) != 0)) {
            return false;
        }
        if (!opportunitySizes.isEmpty() && !opportunitySizes.contains(size)) {
            return false;
        }
        if (!owners.isEmpty() && (owner == null || !owners.contains(ownerKey(owner)))) {
            return false;
        }
        if (!plans.isEmpty() && !plans.contains(plan)) {
            return false;
        }
        if (!activationLevels.isEmpty() && !activationLevels.contains(activation)) {
            return false;
        }
        if (!engagementLevels.isEmpty() && !engagementLevels.contains(engagement)) {
            return false;
        }
        if (!communicationLevels.isEmpty() && !communicationLevels.contains(communication)) {
            return false;
        }
        if (!personas.isEmpty() && !personas.contains(persona)) {
            return false;
        }
        if (!statuses.isEmpty() && !statuses.contains(status)) {
            return false;
        }
        return !openOnly || open;
    }

    private static String ownerKey(String owner) {
        return owner.toLowerCase(Locale.ROOT);
    }
}
