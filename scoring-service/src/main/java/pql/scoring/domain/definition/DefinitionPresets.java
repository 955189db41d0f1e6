package pql.scoring.domain.definition;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import pql.scoring.domain.PercentileCohort;
import pql.scoring.domain.Persona;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.definition.ScoringDefinition.ActionWeight;
import pql.scoring.domain.definition.ScoringDefinition.ActivationStep;
import pql.scoring.domain.definition.ScoringDefinition.BehaviouralTrigger;
import pql.scoring.domain.definition.ScoringDefinition.CommunicationRule;
import pql.scoring.domain.definition.ScoringDefinition.Cutoffs;
import pql.scoring.domain.definition.ScoringDefinition.EngagementRule;
import pql.scoring.domain.definition.ScoringDefinition.LevelCutoffs;
import pql.scoring.domain.definition.ScoringDefinition.OpportunityBands;
import pql.scoring.domain.definition.ScoringDefinition.PqlRule;

/**
 * The built-in starting points, one per product complexity. They share a generic B2B SaaS checklist
 * and engagement model (replace the action names with your product's) and differ where seed 000
 * says complexity matters: how activated an account must be before sales get involved.
 *
 * <ul>
 *   <li>INTERMEDIATE: the seed's rule of thumb, SMALL 75%, MID 50%, LARGE 25%.
 *   <li>SIMPLE: users self-serve to value, so sales wait longer: SMALL 100%, MID 75%, LARGE 50%
 *       (each one band later than INTERMEDIATE).
 *   <li>COMPLEX: most users need help, so sales step in earlier: SMALL 50%, MID 25%, LARGE 10%
 *       (one band earlier; 10% means "any one step of six done").
 * </ul>
 */
public final class DefinitionPresets {

    /** Deal size at which an opportunity is MID: 10,000 currency units. */
    public static final long MID_FROM_MICROS = 10_000L * 1_000_000L;
    /** Deal size at which an opportunity is LARGE: 50,000 currency units. */
    public static final long LARGE_FROM_MICROS = 50_000L * 1_000_000L;

    private DefinitionPresets() {
    }

    public static ScoringDefinition forComplexity(ProductComplexity complexity) {
        PqlRule pql = pqlRule(complexity);
        ScoringDefinition preset = new ScoringDefinition(
                "preset: " + complexity.name().toLowerCase(java.util.Locale.ROOT),
                "",
                complexity,
                checklist(),
                engagement(),
                communication(),
                levels(),
                pql,
                bands(),
                seedPersonaOdds());
        // the numbers come from the values: an edited preset never says "MID 50%" for a MID 30%
        return preset.withName(preset.name(), rationale(complexity) + " " + DefinitionSummary.of(preset));
    }

    public static PqlRule pqlRule(ProductComplexity complexity) {
        List<BehaviouralTrigger> triggers = triggers();
        return switch (complexity) {
            case SIMPLE -> new PqlRule(1.00, 0.75, 0.50, triggers);
            case INTERMEDIATE -> new PqlRule(0.75, 0.50, 0.25, triggers);
            case COMPLEX -> new PqlRule(0.50, 0.25, 0.10, triggers);
        };
    }

    /** Six steps to first value: set up, connect, invite, create, share, integrate (seed 001). */
    public static List<ActivationStep> checklist() {
        return List.of(
                new ActivationStep("workspace_created", "workspace_created", 1, "A workspace exists"),
                new ActivationStep("data_connected", "data_connected", 1, "A data source is connected"),
                new ActivationStep("teammates_invited", "teammate_invited", 2, "Two teammates were invited"),
                new ActivationStep("reports_created", "report_created", 3, "Three reports were created"),
                new ActivationStep("dashboard_shared", "dashboard_shared", 1, "A dashboard was shared"),
                new ActivationStep("integration_enabled", "integration_enabled", 1, "An integration is enabled"));
    }

    /**
     * Core features weigh more than peripheral ones; "login" and "last active" are not engagement
     * (seed 001). A 30-day window with a 14-day half-life: recent use counts most.
     */
    public static EngagementRule engagement() {
        return new EngagementRule(
                List.of(new ActionWeight("report_created", 3),
                        new ActionWeight("dashboard_shared", 5),
                        new ActionWeight("data_connected", 2),
                        new ActionWeight("teammate_invited", 4),
                        new ActionWeight("integration_enabled", 4),
                        new ActionWeight("invoice_submitted", 2),
                        new ActionWeight("message_sent", 0.1)),
                1.0,
                List.of("login", "logout", "session_start", "last_active"),
                30, 14.0, PercentileCohort.OPPORTUNITY_SIZE);
    }

    public static CommunicationRule communication() {
        return new CommunicationRule(14, 3);
    }

    public static LevelCutoffs levels() {
        return new LevelCutoffs(new Cutoffs(0.80, 0.50), new Cutoffs(100, 30));
    }

    /** The behavioural triggers of seed 003: Slack's 2,000 messages and Expensify's 10 invoices. */
    public static List<BehaviouralTrigger> triggers() {
        return List.of(new BehaviouralTrigger("message_sent", 2000, 0),
                new BehaviouralTrigger("invoice_submitted", 10, 14));
    }

    public static OpportunityBands bands() {
        return new OpportunityBands(MID_FROM_MICROS, LARGE_FROM_MICROS);
    }

    /** Seed 004's odds of conversion per persona. */
    public static Map<Persona, Double> seedPersonaOdds() {
        Map<Persona, Double> odds = new EnumMap<>(Persona.class);
        for (Persona persona : Persona.values()) {
            odds.put(persona, persona.seedOdds());
        }
        return odds;
    }

    private static String rationale(ProductComplexity complexity) {
        return switch (complexity) {
            case SIMPLE -> "Simple product: most users self-serve, so sales wait for (almost) full activation.";
            case INTERMEDIATE -> "Intermediately complex product: seed 000's rule of thumb.";
            case COMPLEX -> "Complex product: most users need help, so sales step in early.";
        };
    }
}
