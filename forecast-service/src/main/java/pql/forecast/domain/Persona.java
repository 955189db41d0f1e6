package pql.forecast.domain;

import static pql.forecast.domain.CommunicationLevel.ACTIVE;
import static pql.forecast.domain.Level.HIGH;
import static pql.forecast.domain.Level.LOW;
import static pql.forecast.domain.Level.MEDIUM;

/**
 * The seven trial personas of seed 004, in the seed's order (highest odds first), each with its
 * key engagement indicators and the seed's chance of conversion.
 *
 * <p>Positive Procrastinator and Incompatible Ignoramus share their indicators (LOW/LOW/ACTIVE);
 * the seed tells them apart by resources and budget, which is the profile's fit.
 */
public enum Persona {
    GOLDEN_LEAD("Golden Lead", new Levels(HIGH, HIGH, ACTIVE), FitRequirement.ANY, "0.90"),
    SILENT_SUCCESS("Silent Success", new Levels(HIGH, HIGH, CommunicationLevel.LOW), FitRequirement.ANY, "0.75"),
    CONTRARY_CONVERTER("Contrary Converter", new Levels(MEDIUM, MEDIUM, ACTIVE), FitRequirement.ANY, "0.60"),
    POSITIVE_PROCRASTINATOR("Positive Procrastinator", new Levels(LOW, LOW, ACTIVE), FitRequirement.GOOD, "0.30"),
    FIZZLER("Fizzler", new Levels(HIGH, LOW, CommunicationLevel.LOW), FitRequirement.ANY, "0.10"),
    INCOMPATIBLE_IGNORAMUS("Incompatible Ignoramus", new Levels(LOW, LOW, ACTIVE), FitRequirement.POOR, "0.05"),
    HEARTBREAKER("Heartbreaker", new Levels(LOW, LOW, CommunicationLevel.LOW), FitRequirement.ANY, "0.05");

    /** Which fit a persona row asks for besides its levels. */
    public enum FitRequirement {
        ANY, GOOD, POOR
    }

    private final String displayName;
    private final Levels indicators;
    private final FitRequirement fit;
    private final Odds seedOdds;

    Persona(String displayName, Levels indicators, FitRequirement fit, String seedOdds) {
        this.displayName = displayName;
        this.indicators = indicators;
        this.fit = fit;
        this.seedOdds = Odds.of(seedOdds);
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

    /** Chance of conversion given by seed 004. */
    public Odds seedOdds() {
        return seedOdds;
    }
}
