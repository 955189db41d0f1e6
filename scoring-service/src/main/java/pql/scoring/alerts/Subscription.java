package pql.scoring.alerts;

import java.util.List;
import java.util.Set;
import pql.scoring.domain.OpportunitySize;
import pql.scoring.domain.Persona;
import pql.scoring.domain.PqlKind;

/**
 * Where alerts go and which ones: a webhook URL, its message format, a filter (empty parts match
 * everything) and the secret that signs every body.
 *
 * @param createdAt epoch ms
 */
public record Subscription(String id, String url, Format format, Filter filter, String secret, long createdAt,
        String createdBy) {

    /** The subscription made from {@code scoring.alerts.webhookUrl}. */
    public static final String DEFAULT_ID = "default";

    public enum Format {
        /** Slack-compatible: {@code text} plus {@code blocks}. */
        SLACK,
        /** The PqlTransition as protobuf JSON. */
        JSON
    }

    public record Filter(String owner, Set<OpportunitySize> sizes, Set<PqlKind> kinds, Set<Persona> personas) {

        public static final Filter ALL = new Filter("", Set.of(), Set.of(), Set.of());

        public Filter {
            owner = owner == null ? "" : owner.trim();
            sizes = Set.copyOf(sizes);
            kinds = Set.copyOf(kinds);
            personas = Set.copyOf(personas);
        }

        /** Whether an account with these facts is wanted; a fact that is unknown (null) fails a filter on it. */
        public boolean matches(String accountOwner, OpportunitySize size, List<PqlKind> kindsAfter, Persona persona) {
            if (!matchesOwnerAndKinds(accountOwner, kindsAfter)) {
                return false;
            }
            if (!sizes.isEmpty() && (size == null || !sizes.contains(size))) {
                return false;
            }
            return personas.isEmpty() || (persona != null && personas.contains(persona));
        }

        /** The parts a transition itself tells (size and persona need the account's details). */
        public boolean matchesOwnerAndKinds(String accountOwner, List<PqlKind> kindsAfter) {
            if (!owner.isEmpty() && (accountOwner == null || !owner.equalsIgnoreCase(accountOwner.trim()))) {
                return false;
            }
            return kinds.isEmpty() || kindsAfter.stream().anyMatch(kinds::contains);
        }
    }
}
