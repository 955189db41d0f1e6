package pql.scoring.domain.discovery;

/** What the data says about one candidate rule at the chosen false-discovery rate. */
public enum RuleVerdict {
    /** Trials that met it converted more often, and it survives Benjamini-Hochberg. */
    PREDICTIVE,
    /** Trials that met it converted less often, and it survives Benjamini-Hochberg. */
    NEGATIVE,
    /** Survives Benjamini-Hochberg but lifts conversion less than the minimum lift: too small to act on. */
    WEAK,
    /** Tested, but the difference could be chance at the chosen false-discovery rate. */
    NOT_SIGNIFICANT,
    /** Fewer than the minimum support on one side: not tested, not counted among the comparisons. */
    NOT_ENOUGH_DATA
}
