package pql.allinone.sample;

import java.util.List;

/**
 * The known truth planted in the sample, so discovery (DefinitionService.SuggestDefinition) can be
 * checked against it: a few product actions that really separate converting trials from lost
 * ones at a threshold, a few that are pure noise, and logins that are frequent and say nothing.
 *
 * <p>Whether a trial converts is decided first (its persona's odds); a planted predictor is then
 * met by a share of the converted trials and a smaller share of the lost ones. That is the same
 * joint distribution as a behaviour raising the odds of converting by {@link Predictor#oddsRatio()},
 * written in the order a generator can keep each persona's conversion rate. Noise actions and
 * logins are drawn the same way for every trial, whatever its persona or outcome.
 */
public final class PlantedSignal {

    /**
     * A behaviour "at least {@code minCount} of {@code action} within {@code withinDays} days"
     * (0: any time in the trial) met by {@code shareOfConverted} of converting trials and
     * {@code shareOfLost} of lost ones. Trials that do not meet it may still do the action, too
     * rarely or too spread out to meet it, so the threshold matters.
     */
    public record Predictor(String action, int minCount, int withinDays, double shareOfConverted, double shareOfLost) {

        /** The odds of converting when met against when not met. */
        public double oddsRatio() {
            return shareOfConverted / (1 - shareOfConverted) / (shareOfLost / (1 - shareOfLost));
        }
    }

    /** Met by half of the converting trials, an eighth of the lost ones: once is enough. */
    public static final Predictor API_KEY = new Predictor("api_key_created", 1, 0, 0.55, 0.12);
    /** A burst of three automations in a week; near misses (two in a week and one 10 days later) mean nothing. */
    public static final Predictor WORKFLOW_BURST = new Predictor("workflow_automated", 3, 7, 0.45, 0.10);
    /** A weaker one: single sign-on set up by a third of converting trials, a tenth of lost ones. */
    public static final Predictor SSO = new Predictor("sso_configured", 1, 0, 0.35, 0.10);

    public static final List<Predictor> PREDICTORS = List.of(API_KEY, WORKFLOW_BURST, SSO);

    /** Actions every trial does equally often, whatever its persona or outcome, with their most per trial. */
    public static final List<String> NOISE_ACTIONS = List.of("help_article_viewed", "theme_changed", "notification_muted");
    static final int[] NOISE_MOST = {4, 1, 2};

    /** Logins: on 30-90% of days, a rate drawn per trial independently of everything else. */
    public static final String LOGIN = "login";

    private PlantedSignal() {
    }
}
