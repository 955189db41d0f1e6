package pql.allinone.sample;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parts of scoring-service's INTERMEDIATE preset (DefinitionPresets) the generator aims at:
 * the six-step checklist, the engagement weights, window and half-life. Kept here as data, not
 * imported: the sample is API-level input and must not depend on scoring's internals; the
 * end-to-end test checks both still agree (GetDefinitionPreset).
 */
final class PresetModel {

    record Step(String key, String action, int minCount) {
    }

    static final List<Step> CHECKLIST = List.of(
            new Step("workspace_created", "workspace_created", 1),
            new Step("data_connected", "data_connected", 1),
            new Step("teammates_invited", "teammate_invited", 2),
            new Step("reports_created", "report_created", 3),
            new Step("dashboard_shared", "dashboard_shared", 1),
            new Step("integration_enabled", "integration_enabled", 1));

    static final Map<String, Double> WEIGHTS = Map.of(
            "report_created", 3.0,
            "dashboard_shared", 5.0,
            "data_connected", 2.0,
            "teammate_invited", 4.0,
            "integration_enabled", 4.0,
            "invoice_submitted", 2.0,
            "message_sent", 0.1);
    static final double DEFAULT_WEIGHT = 1.0;
    static final Set<String> EXCLUDED = Set.of("login", "logout", "session_start", "last_active");
    static final Duration WINDOW = Duration.ofDays(30);
    static final Duration HALF_LIFE = Duration.ofDays(14);
    static final Duration COMMUNICATION_WINDOW = Duration.ofDays(14);

    /** Behavioural triggers: 2,000 messages ever; 10 invoices within 14 days. */
    static final String MESSAGE_TRIGGER_ACTION = "message_sent";
    static final int MESSAGE_TRIGGER_COUNT = 2000;
    static final String INVOICE_TRIGGER_ACTION = "invoice_submitted";
    static final int INVOICE_TRIGGER_COUNT = 10;

    private PresetModel() {
    }

    static double weight(String action) {
        if (EXCLUDED.contains(action)) {
            return 0;
        }
        return WEIGHTS.getOrDefault(action, DEFAULT_WEIGHT);
    }

    /** One action's points as of {@code evaluatedAt}: weight x quantity x decay, 0 outside the window. */
    static double points(String action, double quantity, Instant at, Instant evaluatedAt) {
        Duration age = Duration.between(at, evaluatedAt);
        if (age.isNegative() || age.compareTo(WINDOW) >= 0) {
            return 0;
        }
        double halfLives = (double) age.toMillis() / HALF_LIFE.toMillis();
        return weight(action) * quantity * Math.pow(2, -halfLives);
    }
}
