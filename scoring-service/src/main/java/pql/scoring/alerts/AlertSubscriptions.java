package pql.scoring.alerts;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import pql.scoring.app.ScoringException;
import pql.scoring.domain.definition.Violation;

/**
 * The AlertService's use cases: subscriptions added and removed at run time (recorded in the
 * {@link SubscriptionLog}, so they survive restarts and every scoring process sees them), plus the
 * default subscription of {@code scoring.alerts.webhookUrl}, which lives in the configuration.
 */
public final class AlertSubscriptions {

    public static final int MAX_URL_LENGTH = 2_000;
    private static final int MAX_OWNER_LENGTH = 254;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SubscriptionLog log;
    private final AlertDispatcher dispatcher;
    private final Subscription configured;
    private final Clock clock;
    private final Set<String> seen = new HashSet<>();

    /** @param configured the default subscription, or null when {@code webhookUrl} is empty */
    public AlertSubscriptions(SubscriptionLog log, AlertDispatcher dispatcher, Subscription configured, Clock clock) {
        this.log = log;
        this.dispatcher = dispatcher;
        this.configured = configured;
        this.clock = clock;
    }

    /** Reads the log again (at start, after a change, and periodically: another process may have changed it). */
    public synchronized void refresh() {
        List<Subscription> current = new ArrayList<>();
        if (configured != null) {
            current.add(configured);
        }
        current.addAll(log.current());
        Set<String> ids = new HashSet<>();
        current.forEach(s -> ids.add(s.id()));
        Set<String> removed = new HashSet<>(seen);
        removed.removeAll(ids);
        seen.clear();
        seen.addAll(ids);
        dispatcher.subscriptions(current, removed);
    }

    public synchronized Subscription add(String url, Subscription.Format format, Subscription.Filter filter, String by) {
        List<Violation> problems = new ArrayList<>();
        checkUrl(url, "url").ifPresent(problems::add);
        if (!filter.owner().isEmpty() && (filter.owner().length() > MAX_OWNER_LENGTH
                || !filter.owner().matches("[^@\\s]+@[^@\\s]+"))) {
            problems.add(new Violation("filter.owner", "must be an e-mail address (at most " + MAX_OWNER_LENGTH
                    + " characters)"));
        }
        if (!problems.isEmpty()) {
            throw new ScoringException.InvalidRequest(problems);
        }
        Subscription subscription = new Subscription("sub-" + HexFormat.of().formatHex(bytes(8)), url, format,
                new Subscription.Filter(filter.owner().toLowerCase(Locale.ROOT), filter.sizes(), filter.kinds(),
                        filter.personas()), HexFormat.of().formatHex(bytes(32)), clock.millis(), by);
        log.add(subscription);
        refresh();
        return subscription;
    }

    /** The default (YAML) subscription first, then the others oldest first: the same order on every call. */
    public synchronized List<Subscription> list() {
        refresh();
        return dispatcher.current().stream()
                .sorted(Comparator.comparing((Subscription s) -> configured == null || !configured.id().equals(s.id()))
                        .thenComparingLong(Subscription::createdAt).thenComparing(Subscription::id))
                .toList();
    }

    public synchronized void remove(String id, String by) {
        checkId(id);
        if (configured != null && configured.id().equals(id)) {
            throw new ScoringException.FailedPrecondition("the default subscription comes from scoring.alerts.webhookUrl:"
                    + " change the configuration to remove it");
        }
        if (!log.remove(id, by)) {
            throw new ScoringException.NotFound("alert subscription " + id + " does not exist");
        }
        refresh();
    }

    public AlertDispatcher.TestPost test(String id, String by) {
        checkId(id);
        Subscription subscription = dispatcher.subscription(id).orElseGet(() -> {
            refresh();
            return dispatcher.subscription(id).orElseThrow(
                    () -> new ScoringException.NotFound("alert subscription " + id + " does not exist"));
        });
        return dispatcher.test(subscription, by);
    }

    private static void checkId(String id) {
        if (id == null || id.isBlank()) {
            throw ScoringException.InvalidRequest.of("id", "required");
        }
        if (id.length() > 64) {
            throw ScoringException.InvalidRequest.of("id", "at most 64 characters");
        }
    }

    /** An absolute http(s) URL with a host; the problem, if any. */
    public static Optional<Violation> checkUrl(String url, String field) {
        if (url == null || url.isBlank()) {
            return Optional.of(new Violation(field, "required"));
        }
        if (url.length() > MAX_URL_LENGTH) {
            return Optional.of(new Violation(field, "at most " + MAX_URL_LENGTH + " characters"));
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return Optional.of(new Violation(field, "must be an absolute http:// or https:// URL"));
            }
            if (uri.getHost() == null || uri.getHost().isBlank()) {
                return Optional.of(new Violation(field, "must name a host"));
            }
        } catch (URISyntaxException e) {
            return Optional.of(new Violation(field, "not a URL: " + e.getReason()));
        }
        return Optional.empty();
    }

    private static byte[] bytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
