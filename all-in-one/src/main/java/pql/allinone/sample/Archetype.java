package pql.allinone.sample;

import pql.v1.Fit;

/**
 * How a generated trial behaves, one per persona of seed 004: how far it gets through the
 * activation checklist, how engaged it is at the end, whether it talks to us, and its fit. The
 * levels are aimed well inside the INTERMEDIATE preset's cut-offs (activation HIGH >= 80%,
 * MEDIUM >= 50% of six steps; engagement HIGH >= 100, MEDIUM >= 30 points; communication
 * ACTIVE at 3 interactions in 14 days) so scoring classifies each trial as the persona it was
 * generated for.
 */
enum Archetype {
    //                  steps  engagement          active  fit       share  odds
    GOLDEN_LEAD(        5, 6, Engagement.HIGH,   true,  Fit.FIT_GOOD, 11, 0.90),
    SILENT_SUCCESS(     5, 6, Engagement.HIGH,   false, Fit.FIT_GOOD, 10, 0.75),
    CONTRARY_CONVERTER( 3, 4, Engagement.MEDIUM, true,  Fit.FIT_GOOD, 14, 0.60),
    POSITIVE_PROCRASTINATOR(0, 2, Engagement.LOW, true, Fit.FIT_GOOD, 15, 0.30),
    FIZZLER(            5, 5, Engagement.LOW,    false, Fit.FIT_GOOD, 13, 0.10),
    INCOMPATIBLE_IGNORAMUS(0, 2, Engagement.LOW, true,  Fit.FIT_POOR, 12, 0.05),
    HEARTBREAKER(       0, 2, Engagement.LOW,    false, Fit.FIT_GOOD, 25, 0.05);

    enum Engagement {
        /** Decayed points in the 30-day window. */
        HIGH(170, 420), MEDIUM(45, 75), LOW(4, 18);

        final double min;
        final double max;

        Engagement(double min, double max) {
            this.min = min;
            this.max = max;
        }
    }

    final int minSteps;
    final int maxSteps;
    final Engagement engagement;
    final boolean communicative;
    final Fit fit;
    /** Relative frequency among generated trials. */
    final int share;
    /** Chance a closed trial of this kind converted (seed 004's odds, so calibration looks sane). */
    final double conversionRate;

    Archetype(int minSteps, int maxSteps, Engagement engagement, boolean communicative, Fit fit, int share,
            double conversionRate) {
        this.minSteps = minSteps;
        this.maxSteps = maxSteps;
        this.engagement = engagement;
        this.communicative = communicative;
        this.fit = fit;
        this.share = share;
        this.conversionRate = conversionRate;
    }
}
