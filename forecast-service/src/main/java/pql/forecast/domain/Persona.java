package pql.forecast.domain;

import static pql.forecast.domain.CommunicationLevel.ACTIVE;
import static pql.forecast.domain.Level.HIGH;
import static pql.forecast.domain.Level.LOW;
import static pql.forecast.domain.Level.MEDIUM;

/**
 * The seven trial personas of seed 004, in the seed's order (highest odds first), each with its
 * key engagement indicators. Their chances of conversion are not typed here: they come with each
 * definition version from scoring-service, which owns the seed's defaults ({@link PersonaOdds}).
 *
 * <p>Positive Procrastinator and Incompatible Ignoramus share their indicators (LOW/LOW/ACTIVE);
 * the seed tells them apart by resources and budget, which is the profile's fit.
 */
public enum Persona {
    GOLDEN_LEAD("Golden Lead", new Levels(HIGH, HIGH, ACTIVE), FitRequirement.ANY),
    SILENT_SUCCESS("Silent Success", new Levels(HIGH, HIGH, CommunicationLevel.LOW), FitRequirement.ANY),
    CONTRARY_CONVERTER("Contrary Converter", new Levels(MEDIUM, MEDIUM, ACTIVE), FitRequirement.ANY),
    POSITIVE_PROCRASTINATOR("Positive Procrastinator", new Levels(LOW, LOW, ACTIVE), FitRequirement.GOOD),
    FIZZLER("Fizzler", new Levels(HIGH, LOW, CommunicationLevel.LOW), FitRequirement.ANY),
    INCOMPATIBLE_IGNORAMUS("Incompatible Ignoramus", new Levels(LOW, LOW, ACTIVE), FitRequirement.POOR),
    HEARTBREAKER("Heartbreaker", new Levels(LOW, LOW, CommunicationLevel.LOW), FitRequirement.ANY);

    /** Which fit a persona row asks for besides its levels. */
    public enum FitRequirement {
        ANY, GOOD, POOR
    }

    private final String displayName;
    private final Levels indicators;
    private final FitRequirement fit;

    Persona(String displayName, Levels indicators, FitRequirement fit) {
        this.displayName = displayName;
        this.indicators = indicators;
        this.fit = fit;
    }

    public String displayName() {
        return displayName;
    }

    /** The seed's key engagement indicators: activation, engagement, communication. */
    public Levels indicators() {
        return indicators;
    }

    public FitRequirement fitRequirement() {
        return fit;
    }
}
